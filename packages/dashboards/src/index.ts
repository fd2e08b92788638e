export {
  LATEST_DASHBOARD_VERSION,
  checkSchema,
  parseJsonObject,
  readDashboardText,
} from './dashboard-document.js';
export type { DashboardDocument, ServerFields } from './dashboard-document.js';
export { setTopLevel, topLevelText } from './json-text.js';
export { declaredVersion, migrateToV8 } from './migrate.js';
export {
  DEFAULT_TAB,
  addPanel,
  allPanels,
  checkPanel,
  deletePanel,
  findPanel,
  nextLayout,
  updatePanel,
} from './panels.js';
export type { PanelLocation } from './panels.js';
export {
  PANEL_TYPES,
  VARIABLE_TYPES,
  axisItemSchema,
  dashboardV8Schema,
  filterConditionSchema,
  panelConfigSchema,
  panelFieldsSchema,
  panelFilterSchema,
  panelQuerySchema,
  panelSchema,
  tabSchema,
  variableSchema,
} from './v8-schema.js';
export type {
  AxisItem,
  DashboardV8,
  FilterCondition,
  FilterGroup,
  Panel,
  PanelConfig,
  PanelFields,
  PanelQuery,
  PanelType,
  Tab,
  Variable,
  VariableType,
} from './v8-schema.js';
