import {
  Bool,
  DataType,
  Field,
  Float64,
  Int64,
  Precision,
  Schema,
  Uint64,
  Utf8,
} from 'apache-arrow';
import { AppError } from '@o2/errors';

/** Column types a stream schema can hold (names match packages/schema). */
export type ColumnType = 'Utf8' | 'Int64' | 'UInt64' | 'Float64' | 'Boolean';

export const COLUMN_TYPES: readonly ColumnType[] = [
  'Utf8',
  'Int64',
  'UInt64',
  'Float64',
  'Boolean',
];

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

/** One flattened record. `bigint` is accepted so Int64 values beyond 2^53 can stay exact. */
export type RecordValue = string | number | boolean | bigint | null | undefined;
export type FlatRecord = Readonly<Record<string, RecordValue>>;

export const TIMESTAMP_COLUMN = '_timestamp';

export function arrowTypeOf(type: ColumnType): DataType {
  switch (type) {
    case 'Utf8':
      return new Utf8();
    case 'Int64':
      return new Int64();
    case 'UInt64':
      return new Uint64();
    case 'Float64':
      return new Float64();
    case 'Boolean':
      return new Bool();
  }
}

/** The column type an Arrow type maps onto, or undefined for types we never write. */
export function columnTypeOf(type: DataType): ColumnType | undefined {
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'Utf8';
  if (DataType.isBool(type)) return 'Boolean';
  if (DataType.isFloat(type)) return 'Float64';
  if (DataType.isInt(type)) return type.isSigned || type.bitWidth < 64 ? 'Int64' : 'UInt64';
  if (DataType.isDictionary(type)) return columnTypeOf(type.valueType as DataType);
  return undefined;
}

/** True when `type` is exactly the Arrow type we build for `column` (so buffers can be copied). */
export function isNativeArrowType(column: ColumnType, type: DataType): boolean {
  switch (column) {
    case 'Utf8':
      return DataType.isUtf8(type);
    case 'Int64':
      return DataType.isInt(type) && type.bitWidth === 64 && type.isSigned;
    case 'UInt64':
      return DataType.isInt(type) && type.bitWidth === 64 && !type.isSigned;
    case 'Float64':
      return DataType.isFloat(type) && type.precision === Precision.DOUBLE;
    case 'Boolean':
      return DataType.isBool(type);
  }
}

export function arrowSchemaOf(schema: readonly ColumnSpec[]): Schema {
  return new Schema(schema.map((c) => new Field(c.name, arrowTypeOf(c.type), true)));
}

/** The stream schema an Arrow schema describes; columns of unsupported types are rejected. */
export function columnSpecsOf(schema: Schema): ColumnSpec[] {
  return schema.fields.map((field) => {
    const type = columnTypeOf(field.type as DataType);
    if (type === undefined) {
      throw AppError.invalidArgument(
        `column ${field.name} has unsupported type ${String(field.type)}`,
      );
    }
    return { name: field.name, type };
  });
}

/**
 * Checks a schema for duplicate names and makes sure `_timestamp` is an Int64 column (added first
 * when absent): every file is sorted by it and file_list rows need its min and max.
 */
export function normaliseSchema(schema: readonly ColumnSpec[]): ColumnSpec[] {
  const seen = new Set<string>();
  for (const column of schema) {
    if (!COLUMN_TYPES.includes(column.type)) {
      throw AppError.invalidArgument(
        `column ${column.name} has unknown type ${String(column.type)}`,
      );
    }
    if (seen.has(column.name)) throw AppError.invalidArgument(`duplicate column ${column.name}`);
    seen.add(column.name);
  }
  const ts = schema.find((c) => c.name === TIMESTAMP_COLUMN);
  if (ts === undefined) return [{ name: TIMESTAMP_COLUMN, type: 'Int64' }, ...schema];
  if (ts.type !== 'Int64') {
    throw AppError.invalidArgument(`${TIMESTAMP_COLUMN} must be Int64, not ${ts.type}`);
  }
  return [...schema];
}
