import express from 'express';
import type { RequestHandler } from 'express';
import { AppError } from '@o2/errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Body parsing for JSON routes, as O2's extractors behave: another (or no) Content-Type is 415,
 * malformed JSON is 400, a body over the limit is 413. Ingest routes read their own bodies, so
 * this is applied per route rather than to the whole app.
 */
export function createJsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (req.is(JSON_TYPES) === false || req.headers['content-type'] === undefined) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    }
    next();
  };
  return [requireJson, express.json({ limit: limitBytes, type: JSON_TYPES })];
}

/** The parsed JSON body as a plain object, or 400 when it is an array or scalar. */
export function jsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw AppError.invalidArgument('Request body must be a JSON object');
  return body as Record<string, unknown>;
}
