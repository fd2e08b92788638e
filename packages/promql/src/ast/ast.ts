import type { Matcher } from '../labels/matcher.js';

/** The four value types of PromQL; `matrix` is Prometheus's "range vector". */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Byte offsets into the query text, end exclusive. */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/** `@` modifier: a fixed time in ms, or the query's start/end resolved at evaluation. */
export type AtModifier =
  | { readonly kind: 'time'; readonly ms: number }
  | { readonly kind: 'start' }
  | { readonly kind: 'end' };

export interface NumberLiteral {
  readonly type: 'number';
  readonly value: number;
  readonly pos: PositionRange;
}

export interface StringLiteral {
  readonly type: 'string';
  readonly value: string;
  readonly pos: PositionRange;
}

export interface VectorSelector {
  readonly type: 'vectorSelector';
  /** Metric name written before the braces, or '' when only matchers were given. */
  readonly name: string;
  readonly matchers: readonly Matcher[];
  readonly offsetMs: number;
  readonly at: AtModifier | undefined;
  readonly pos: PositionRange;
}

export interface MatrixSelector {
  readonly type: 'matrixSelector';
  readonly selector: VectorSelector;
  readonly rangeMs: number;
  readonly pos: PositionRange;
}

export interface Subquery {
  readonly type: 'subquery';
  readonly expr: Expr;
  readonly rangeMs: number;
  /** 0 means "use the evaluation interval" (the default step). */
  readonly stepMs: number;
  readonly offsetMs: number;
  readonly at: AtModifier | undefined;
  readonly pos: PositionRange;
}

export type UnaryOp = '-' | '+';

export interface Unary {
  readonly type: 'unary';
  readonly op: UnaryOp;
  readonly expr: Expr;
  readonly pos: PositionRange;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  readonly card: Cardinality;
  /** True for `on(...)`, false for `ignoring(...)` or no clause. */
  readonly on: boolean;
  readonly labels: readonly string[];
  /** Extra labels copied from the "one" side by `group_left(...)`/`group_right(...)`. */
  readonly include: readonly string[];
}

export interface Binary {
  readonly type: 'binary';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly bool: boolean;
  /** Set only when both sides are instant vectors. */
  readonly matching: VectorMatching | undefined;
  readonly pos: PositionRange;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

export interface Aggregate {
  readonly type: 'aggregate';
  readonly op: AggregateOp;
  readonly expr: Expr;
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  readonly without: boolean;
  readonly pos: PositionRange;
}

export interface Call {
  readonly type: 'call';
  readonly func: string;
  readonly args: readonly Expr[];
  readonly pos: PositionRange;
}

export interface Paren {
  readonly type: 'paren';
  readonly expr: Expr;
  readonly pos: PositionRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Subquery
  | Unary
  | Binary
  | Aggregate
  | Call
  | Paren;
