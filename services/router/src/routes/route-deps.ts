import type { RequestHandler } from 'express';
import type { Config } from '@o2/config';
import type { Logger } from '@o2/logger';
import type { MetaStore } from '@o2/metastore';
import type { PasswordChecker } from '../auth/password-checker.js';

/** What every route module gets from the app. */
export interface RouteDeps {
  config: Config;
  logger: Logger;
  metaStore: MetaStore;
  passwords: PasswordChecker;
  /** Content-Type check and JSON parsing with the payload limit (415/400/413). */
  jsonBody: RequestHandler[];
  now: () => number;
}
