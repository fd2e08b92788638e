import type { FieldType } from './field-type.js';
import type { FlatRecord } from './flat-record.js';
import { inferType } from './infer-type.js';
import { mergeType } from './merge-type.js';

/**
 * The merged type of every field across a batch of flattened records (O2's
 * `infer_json_schema_from_map`). Pass `into` to keep accumulating over several calls.
 */
export function inferBatchTypes(
  records: Iterable<FlatRecord>,
  into: Map<string, FieldType> = new Map(),
): Map<string, FieldType> {
  for (const record of records) {
    for (const name in record) {
      const type = inferType(record[name]);
      if (type === undefined) continue;
      const seen = into.get(name);
      if (seen === undefined) into.set(name, type);
      else if (seen !== type) into.set(name, mergeType(seen, type));
    }
  }
  return into;
}
