import express from 'express';
import type { Request, RequestHandler } from 'express';
import { AppError } from '@o2/errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Like `createJsonBody` (415 without a JSON Content-Type, 413 over the limit) but leaves the body
 * as the text received: dashboards are stored and served as the exact bytes the client sent.
 * Parsing (400 on malformed JSON) is the handler's.
 */
export function createJsonTextBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (req.is(JSON_TYPES) === false || req.headers['content-type'] === undefined) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    }
    next();
  };
  return [requireJson, express.text({ limit: limitBytes, type: JSON_TYPES })];
}

/** The text `createJsonTextBody` left on the request. */
export function bodyText(req: Request): string {
  const body: unknown = req.body;
  return typeof body === 'string' ? body : '';
}
