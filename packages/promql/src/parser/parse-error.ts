import { AppError } from '@o2/errors';
import type { PositionRange } from '../ast/ast.js';

/**
 * A PromQL parse error worded like Prometheus (`1:5: parse error: unexpected end of input`). The
 * position travels in `details` as JSON so an HTTP layer can point at the offending text.
 */
export function parseError(query: string, pos: PositionRange, message: string): AppError {
  const { line, col } = lineCol(query, pos.start);
  return AppError.invalidArgument(`${line}:${col}: parse error: ${message}`, {
    details: JSON.stringify({ start: pos.start, end: pos.end, line, col }),
  });
}

function lineCol(query: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < Math.min(offset, query.length); i++) {
    if (query[i] === '\n') {
      line++;
      lastBreak = i;
    }
  }
  return { line, col: offset - lastBreak };
}

/** Thrown inside the converter; the public `parse` turns it into the AppError above. */
export class PositionedError extends Error {
  constructor(
    readonly pos: PositionRange,
    message: string,
  ) {
    super(message);
  }
}
