// A cursor over VRL tokens: lookahead, expectations and the syntax error (E203).
import { diagnostic, DiagnosticError, type Diagnostic } from './diagnostic.js';
import type { Token } from './lexer.js';

export class TokenCursor {
  protected pos = 0;

  /** Syntax errors the parser recovered from; reported together at the end. */
  readonly errors: Diagnostic[] = [];

  constructor(protected readonly toks: Token[]) {}

  protected peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)] as Token;
  }
  protected next(): Token {
    return this.toks[this.pos++] as Token;
  }
  protected isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === text;
  }
  protected fail(t: Token = this.peek()): never {
    throw new DiagnosticError([diagnostic(203, 'syntax error', { start: t.start, end: t.end })]);
  }
  protected expect(text: string): Token {
    if (!this.isOp(text)) this.fail();
    return this.next();
  }
  protected skipNewlines(): void {
    while (this.peek().kind === 'newline') this.pos++;
  }
  protected lastEnd(fallback: number): number {
    return this.toks[this.pos - 1]?.end ?? fallback;
  }

  /** Comma-separated items up to `close` (newlines and a trailing comma allowed). */
  protected list<T>(close: string, item: () => T): T[] {
    const out: T[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.isOp(close)) {
        this.next();
        return out;
      }
      out.push(item());
      this.skipNewlines();
      if (this.isOp(',')) this.next();
      else if (!this.isOp(close)) this.fail();
    }
  }
}
