import { randomBytes } from 'node:crypto';

/** A new ingestion passcode: 24 URL-safe characters (144 random bits), never containing `:`. */
export function newPasscode(): string {
  return randomBytes(18).toString('base64url');
}
