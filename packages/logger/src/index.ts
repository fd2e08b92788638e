export { createLogger, REDACTED_PATHS, toPinoLevel } from './create-logger.js';
export type { Logger, LoggerOptions } from './create-logger.js';
