// `return` and `abort` unwind the closure tree as thrown signals (not errors: no stack trace).
import type { Value } from './value.js';

export class ReturnSignal {
  constructor(readonly value: Value) {}
}

export class AbortSignal {
  constructor(readonly message: Value | undefined) {}
}
