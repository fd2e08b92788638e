// ECharts for the logs histogram, tree-shaken to what it draws (bars, grid, tooltip, brush),
// loaded lazily with the logs page. The toolbox comes along because the brush component's
// option preprocessor always adds a toolbox; without it ECharts logs "Component toolbox is used
// but not imported" on the console (the histogram hides it: dragging brushes directly).
import { BarChart } from 'echarts/charts';
import {
  BrushComponent,
  GridComponent,
  ToolboxComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  GridComponent,
  TooltipComponent,
  BrushComponent,
  ToolboxComponent,
  CanvasRenderer,
]);

export { echarts };
