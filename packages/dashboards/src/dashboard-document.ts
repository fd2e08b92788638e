import type { z } from 'zod';
import { AppError } from '@o2/errors';
import { setTopLevel, topLevelText } from './json-text.js';
import { declaredVersion, migrateToV8 } from './migrate.js';
import { dashboardV8Schema } from './v8-schema.js';
import type { DashboardV8 } from './v8-schema.js';

/** The dashboard schema version this package reads everything into. */
export const LATEST_DASHBOARD_VERSION = 8;

/** Keys the server owns; the document's own values are replaced or filled in. */
export interface ServerFields {
  /** Always written: a new id on create, the path's id on update. */
  dashboardId: string;
  /** Written only when the document has none (an export keeps its owner and creation time). */
  owner: string;
  /** RFC 3339, written only when the document has none. */
  created: string;
}

export interface DashboardDocument {
  /**
   * The v8 document as stored and served: a v8 body is the client's text byte for byte except
   * the server's keys; an older version is migrated and serialised.
   */
  text: string;
  dashboard: DashboardV8;
  /** The version the client sent (1–8). */
  sourceVersion: number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Zod's issues as O2-style predicates: `tabs.0.panels.0.queries.0.fields.x.0.label is required`. */
const messages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type')
    return issue.input === undefined ? 'is required' : `must be of type ${issue.expected}`;
  if (issue.code === 'invalid_value')
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return undefined;
};

/**
 * Checks `value` against `schema` and returns it; the first problem is a 422 naming the key by
 * its path.
 */
export function checkSchema<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  prefix: readonly PropertyKey[] = [],
): z.output<S> {
  const result = schema.safeParse(value, { error: messages });
  // The input itself, not zod's copy: the copy lists known keys first, and a document that is
  // re-serialised after an edit must keep the client's key order.
  if (result.success) return value as z.output<S>;
  const issue = result.error.issues[0];
  const path = [...prefix, ...(issue?.path ?? [])].map(String).join('.');
  const message = issue?.message ?? 'is invalid';
  throw new AppError(
    'UNPROCESSABLE',
    `Invalid ${what}: ${path === '' ? message : `${path} ${message}`}`,
  );
}

/** Parses JSON text into an object; 400 for malformed JSON or a non-object. */
export function parseJsonObject(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw AppError.invalidArgument(
      `Invalid JSON body: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isObject(value)) throw AppError.invalidArgument('Request body must be a JSON object');
  return value;
}

function isUnset(text: string | undefined): boolean {
  return text === undefined || text === 'null' || text === '""';
}

/**
 * Reads a dashboard body of any version (O2-CONTRACT §11: `version` selects v1–v8; absent means
 * the latest, or v1 for a document with top-level `panels`), migrates it to v8, validates it and
 * sets the server's keys. Malformed JSON is 400, an unknown version 400, a v8 document missing a
 * required key 422.
 */
export function readDashboardText(body: string, server: ServerFields): DashboardDocument {
  const parsed = parseJsonObject(body);
  const sourceVersion = declaredVersion(parsed);
  if (sourceVersion === undefined || sourceVersion < 1 || sourceVersion > 8) {
    throw AppError.invalidArgument(
      `Unsupported dashboard version: ${JSON.stringify(parsed['version'])}`,
    );
  }
  let text = body;
  let document = parsed;
  if (sourceVersion < LATEST_DASHBOARD_VERSION) {
    document = migrateToV8(parsed, sourceVersion);
    text = JSON.stringify(document);
  }
  checkSchema(dashboardV8Schema, document, 'dashboard');
  text = setTopLevel(text, 'dashboardId', JSON.stringify(server.dashboardId));
  if (isUnset(topLevelText(text, 'owner')))
    text = setTopLevel(text, 'owner', JSON.stringify(server.owner));
  if (isUnset(topLevelText(text, 'created')))
    text = setTopLevel(text, 'created', JSON.stringify(server.created));
  if (topLevelText(text, 'version') === undefined) text = setTopLevel(text, 'version', '8');
  const dashboard = checkSchema(dashboardV8Schema, JSON.parse(text), 'dashboard');
  return { text, dashboard, sourceVersion };
}
