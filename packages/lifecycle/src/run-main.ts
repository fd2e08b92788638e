import { isAppError } from '@o2/errors';

/**
 * Wraps a composition root. A start-up failure we understand (bad settings, missing root
 * credentials, an unreachable database) is printed as its plain message so the operator reads
 * it at once; anything else also gets its stack. Either way the process exits non-zero.
 */
export function runMain(name: string, body: () => Promise<void>): void {
  body().catch((error: unknown) => {
    const text = isAppError(error)
      ? `${name}: ${error.message}\n`
      : `${name}: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
    process.stderr.write(text, () => process.exit(1));
  });
}
