import { isValidOrgName } from '@o2/domain';
import { bodyObject, fields, optional } from '../http/parse-body.js';

const trimmed = optional(fields.string()).transform((value) => (value ?? '').trim());

/**
 * `POST /api/organizations`. The identifier is optional (derived from the name when empty); its
 * own rules and the reserved-path check live with the store calls in the handler.
 */
export const createOrgBody = bodyObject({
  name: trimmed.refine(isValidOrgName, {
    error: 'Organization name may only contain letters, digits, spaces and underscores',
  }),
  identifier: trimmed,
});
