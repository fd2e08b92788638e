import { serverBase } from '../app/paths';

/** A non-2xx answer, carrying O2's `message` when the body had one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let unauthorizedHandler: () => void = () => undefined;

/** Called on every 401 from `/api`: the session ended (expired, password changed, logged out). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const { message } = body;
    if (typeof message === 'string' && message !== '') return message;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One call to the router with the session cookie. The caller names the response type, which
 * always comes from `@o2/api-schemas` (the router's own zod schemas), never a local copy.
 */
export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const response = await fetch(`${serverBase()}${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal === undefined ? {} : { signal }),
  });
  const parsed = parseJson(await response.text());
  if (!response.ok) {
    if (response.status === 401 && path.startsWith('/api/')) unauthorizedHandler();
    throw new ApiError(
      response.status,
      messageOf(parsed) ?? `${response.status} ${response.statusText}`,
    );
  }
  return parsed as T;
}
