/** A named path parameter (`:email`) as one string. */
export function pathParam(
  params: Record<string, string | string[] | undefined>,
  name: string,
): string {
  const value = params[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
