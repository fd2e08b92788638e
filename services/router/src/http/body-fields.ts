import { AppError } from '@o2/errors';

/** An optional string field of a JSON body; 400 when present with another type. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw AppError.invalidArgument(`${key} must be a string`);
  return value;
}

/** An optional boolean field of a JSON body; 400 when present with another type. */
export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw AppError.invalidArgument(`${key} must be true or false`);
  return value;
}

/** A named path parameter (`:email`) as one string. */
export function pathParam(
  params: Record<string, string | string[] | undefined>,
  name: string,
): string {
  const value = params[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
