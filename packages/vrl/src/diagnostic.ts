// A compile error as VRL reports it: `error[E###]: title`, with the byte span it points at, and a
// runtime error as the message VRL prints (`function call error for "f" at (s:e): ...`).

export interface Span {
  start: number;
  end: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  /** VRL's error code, e.g. 103 for "unhandled fallible assignment". */
  code: number;
  message: string;
  span: Span;
  /** Extra lines VRL prints under the span (labels) or as `= hint` notes. */
  labels: string[];
}

export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.severity}[E${d.code}]: ${d.message}`).join('\n'));
    this.name = 'DiagnosticError';
  }
}

export function diagnostic(
  code: number,
  message: string,
  span: Span,
  labels: string[] = [],
  severity: 'error' | 'warning' = 'error',
): Diagnostic {
  return { severity, code, message, span, labels };
}

/** A runtime failure: the text is what VRL shows for the program's error. */
export class VrlRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VrlRuntimeError';
  }
}

/**
 * A runtime error without a stack trace. Handled errors (`??`, `ok, err =`) are ordinary control
 * flow at ingest, so they skip the Error constructor (which captures the stack) and only take
 * the prototype: `instanceof` and `message` work as for `new VrlRuntimeError`.
 */
export function runtimeError(message: string): VrlRuntimeError {
  const e = Object.create(VrlRuntimeError.prototype) as VrlRuntimeError;
  e.message = message;
  return e;
}

/** Line and column (1-based) of a byte offset, for `┌─ :line:col`. */
export function lineCol(source: string, offset: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, col };
}

/** A diagnostic in VRL's layout: header, location, the source line with carets, labels. */
export function formatDiagnostic(source: string, d: Diagnostic): string {
  const { line, col } = lineCol(source, d.span.start);
  const text = source.split('\n')[line - 1] ?? '';
  const width = Math.max(1, Math.min(d.span.end, source.length) - d.span.start);
  const gutter = ' '.repeat(String(line).length);
  const out = [
    `${d.severity}[E${d.code}]: ${d.message}`,
    `${gutter}┌─ :${line}:${col}`,
    `${gutter}│`,
    `${line} │ ${text}`,
    `${gutter}│ ${' '.repeat(col - 1)}${'^'.repeat(width)}`,
  ];
  for (const label of d.labels) out.push(`${gutter}│ ${' '.repeat(col - 1)}${label}`);
  return out.join('\n');
}
