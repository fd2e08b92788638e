import { pino } from 'pino';
import type { DestinationStream, Logger, LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino blanks before a line is written. Credentials arrive in headers (Basic auth,
 * cookies), in bodies (login, user creation) and in config objects (DSNs, S3 keys); none may
 * ever reach a log line.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-amz-firehose-access-key"]',
  'req.headers["x-internal-grpc-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'cookie',
  'password',
  'passcode',
  'token',
  'secret',
  '*.password',
  '*.new_password',
  '*.old_password',
  '*.passcode',
  '*.token',
  '*.secret',
  '*.secretKey',
  '*.dsn',
  'config.ZO_ROOT_USER_PASSWORD',
  'config.ZO_ROOT_USER_TOKEN',
  'config.ZO_S3_SECRET_KEY',
  'config.ZO_S3_ACCESS_KEY',
  'config.ZO_META_POSTGRES_DSN',
  'config.ZO_META_POSTGRES_PASSWORD',
  'config.ZO_NATS_PASSWORD',
  'config.ZO_INTERNAL_GRPC_TOKEN',
];

export interface LoggerOptions {
  /** O2 takes its level from RUST_LOG (`info` by default); we accept the same words. */
  level?: string;
  name?: string;
  base?: Record<string, unknown>;
  /** Where lines go; stdout when absent. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

const LEVELS: ReadonlySet<string> = new Set([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
]);

/** RUST_LOG may be `info` or `info,h2=warn`; pino wants one level word. */
export function toPinoLevel(value: string | undefined): LevelWithSilent {
  const first = (value ?? 'info').split(',')[0]?.trim().toLowerCase() ?? 'info';
  const word = first === 'warning' ? 'warn' : first === 'off' ? 'silent' : first;
  return (LEVELS.has(word) ? word : 'info') as LevelWithSilent;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: toPinoLevel(options.level),
      name: options.name,
      base: options.base ?? {},
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
