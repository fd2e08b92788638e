import { z } from 'zod';
import { errorBodySchema } from '@o2/api-schemas';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented route: its schemas are the ones the handler and the tests use. */
export interface DocumentedRoute {
  method: HttpMethod;
  /** Express path relative to `/api` (`/:org/kv/:key`); becomes `/api/{org}/kv/{key}`. */
  path: string;
  tag: string;
  summary: string;
  /** The JSON request body the handler parses (its input side is documented). */
  body?: z.ZodType;
  /** A non-JSON body, by media type (e.g. the KV API's `text/plain`). */
  bodyType?: string;
  /** The 200 answer; undefined when it is not JSON (documented by `responseType`). */
  response?: z.ZodType;
  responseType?: string;
  /** Answers besides 200, each O2's `{code, message}` body. */
  errors?: readonly number[];
}

type JsonObject = Record<string, unknown>;

const STANDARD_ERRORS: readonly number[] = [401, 403];

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  // Refinements and transforms have no JSON Schema; the shape around them still documents well.
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  delete out['$schema'];
  return out;
}

/** `/:org/kv/:key` → `/api/{org}/kv/{key}`, with the parameter names. */
function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:([A-Za-z_]+)/g, (_match, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: `/api${converted}`, params };
}

function operation(route: DocumentedRoute, params: readonly string[]): JsonObject {
  const responses: JsonObject = {
    '200': {
      description: 'Success',
      ...(route.response !== undefined
        ? { content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } }
        : route.responseType !== undefined
          ? { content: { [route.responseType]: { schema: { type: 'string' } } } }
          : {}),
    },
  };
  const errorSchema = jsonSchema(errorBodySchema, 'output');
  for (const status of [...new Set([...STANDARD_ERRORS, ...(route.errors ?? [])])].sort())
    responses[String(status)] = {
      description: `O2's {code, message} body with code ${String(status)}`,
      content: { 'application/json': { schema: errorSchema } },
    };
  const requestBody =
    route.body !== undefined
      ? {
          required: true,
          content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
        }
      : route.bodyType !== undefined
        ? { required: true, content: { [route.bodyType]: { schema: { type: 'string' } } } }
        : undefined;
  return {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+/g, '_')}`,
    parameters: params.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...(requestBody === undefined ? {} : { requestBody }),
    responses,
    security: [{ Authorization: [] }],
  };
}

/** The OpenAPI 3.1 document of `routes`: paths, operations and schemas all from the zod schemas. */
export function buildOpenApiDocument(
  routes: readonly DocumentedRoute[],
  info: { title: string; version: string },
): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const { path, params } = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route, params) };
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description: 'OpenObserve-compatible HTTP API of O2TS (the routes documented so far).',
    },
    paths,
    components: {
      securitySchemes: { Authorization: { type: 'http', scheme: 'basic' } },
    },
  };
}
