// The parsed VRL program. Every node carries its byte span for diagnostics and runtime errors.
import type { Span } from './diagnostic.js';
import type { Value } from './value.js';

export type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  /** `.(a | b)`: the first of the fields that exists. */
  | { kind: 'coalesce'; names: string[] };

export type QueryRoot =
  | { kind: 'event' }
  | { kind: 'meta' }
  | { kind: 'var'; name: string }
  | { kind: 'expr'; expr: Expr };

export interface Arg {
  name?: string;
  expr: Expr;
  span: Span;
}

export interface Closure {
  params: { name: string; span: Span }[];
  body: Expr[];
  span: Span;
}

export type AssignTarget =
  { kind: 'noop'; span: Span } | { kind: 'query'; root: QueryRoot; path: Segment[]; span: Span };

export type Expr = Span &
  (
    | { type: 'literal'; value: Value }
    | { type: 'template'; parts: (string | Expr)[] }
    | { type: 'query'; root: QueryRoot; path: Segment[] }
    | { type: 'array'; items: Expr[] }
    | { type: 'object'; entries: [string, Expr][] }
    | { type: 'block'; exprs: Expr[] }
    | { type: 'group'; expr: Expr }
    | { type: 'unary'; op: '!' | '-'; expr: Expr }
    | { type: 'binary'; op: string; left: Expr; right: Expr; opSpan: Span }
    | {
        type: 'assign';
        target: AssignTarget;
        /** Set for `ok, err = …`: the error target. */
        errTarget?: AssignTarget;
        op: '=' | '|=';
        expr: Expr;
      }
    | { type: 'if'; cond: Expr; then: Expr[]; otherwise?: Expr[] }
    | {
        type: 'call';
        name: string;
        nameSpan: Span;
        bang: boolean;
        args: Arg[];
        closure?: Closure;
      }
    | { type: 'abort'; message?: Expr }
    | { type: 'return'; expr: Expr }
  );
