import { AppError } from '@o2/errors';

/**
 * A destination stream name with `{field}` placeholders (O2's dynamic stream names), e.g.
 * `app_{kubernetes_namespace_name}`: each placeholder is replaced by the record's value of that
 * (flattened) field. A name without braces is a plain name.
 */
export interface StreamTemplate {
  /** Literal text and field names, alternating, starting with text. */
  parts: string[];
  fields: string[];
}

const FIELD = /^[A-Za-z0-9_@.-]{1,256}$/;

export function parseStreamTemplate(name: string): StreamTemplate {
  const parts: string[] = [];
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    const open = name.indexOf('{', i);
    const close = name.indexOf('}', i);
    if (close !== -1 && (open === -1 || close < open))
      throw AppError.invalidArgument(`Unbalanced "}" in stream name ${name}`);
    if (open === -1) break;
    const end = name.indexOf('}', open);
    if (end === -1) throw AppError.invalidArgument(`Unbalanced "{" in stream name ${name}`);
    const field = name.slice(open + 1, end).trim();
    if (!FIELD.test(field))
      throw AppError.invalidArgument(`Invalid field "${field}" in stream name ${name}`);
    parts.push(name.slice(i, open));
    fields.push(field);
    i = end + 1;
  }
  parts.push(name.slice(i));
  return { parts, fields };
}

/** The stream name for one (flattened) record; undefined when a field is missing or empty. */
export function resolveStreamTemplate(
  template: StreamTemplate,
  record: Readonly<Record<string, unknown>>,
): string | undefined {
  if (template.fields.length === 0) return template.parts[0];
  let out = template.parts[0] as string;
  for (let i = 0; i < template.fields.length; i++) {
    const value = record[template.fields[i] as string];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      return undefined;
    out += String(value) + (template.parts[i + 1] as string);
  }
  return out;
}
