// ECharts for the traces' duration scatter: points on a time axis, tooltip, brush (the toolbox
// rides along, as in echarts.ts: the brush's option preprocessor always adds one). Loaded lazily
// with the traces page; a separate module from the logs histogram's so neither grows the other.
import { ScatterChart } from 'echarts/charts';
import {
  BrushComponent,
  GridComponent,
  ToolboxComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  ScatterChart,
  GridComponent,
  TooltipComponent,
  BrushComponent,
  ToolboxComponent,
  CanvasRenderer,
]);

export { echarts };
