export { loadConfig, NODE_ROLES } from './load-config.js';
export type { Config, NodeRole } from './load-config.js';
export { mergeEnv, readEnvFile } from './read-env-file.js';
export { renderSettingsTable } from './settings-table.js';
export { SETTING_SECTIONS, settingsSchema } from './settings-schema.js';
export { compactionDecodedBytes, decodedBatchBytes, memTableBudget } from './memory-budget.js';
export type { MemoryBudgetSettings } from './memory-budget.js';
