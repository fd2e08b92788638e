import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';

/**
 * Values from an optional `.env` file. Only composition roots call this; the caller lays the real
 * environment over the result so an explicit variable always wins.
 */
export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parse(readFileSync(path));
}

/** The environment a composition root hands to loadConfig: `.env` first, process env on top. */
export function mergeEnv(
  fileValues: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  return { ...fileValues, ...env };
}
