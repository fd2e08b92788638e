/**
 * The management part of the MetaStore contract (O2-CONTRACT §12): org ingestion tokens and
 * short URLs. Kept beside `meta-store.ts` so that file stays one idea per section. Service
 * accounts need no table of their own: they are users with the `service_account` role, and
 * their token is the membership's passcode.
 */

/** A named org-level ingestion token (`o2oi_…`), valid only on ingestion routes of its org. */
export interface IngestionToken {
  org: string;
  name: string;
  /** The secret itself: O2's API lists it back to admins, so it is kept, never logged. */
  token: string;
  description: string;
  /** The org's `default` token (created with the org); cannot be deleted. */
  isDefault: boolean;
  enabled: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface IngestionTokenRepository {
  /**
   * ALREADY_EXISTS when the org already has a token of that name (or, astronomically unlikely,
   * the value is taken); NOT_FOUND when the org does not exist.
   */
  create(token: Omit<IngestionToken, 'createdAt' | 'updatedAt'>): Promise<IngestionToken>;
  get(org: string, name: string): Promise<IngestionToken | undefined>;
  /** The org's tokens as O2 lists them: the default first, then newest first. */
  list(org: string): Promise<IngestionToken[]>;
  /**
   * The token whose value this is, enabled or not, in any org. Looked up by a hash of the value
   * (an index on the secret itself would answer in time that depends on it); the caller still
   * compares the value in constant time.
   */
  findByValue(token: string): Promise<IngestionToken | undefined>;
  /** NOT_FOUND when the org has no token of that name. */
  setEnabled(org: string, name: string, enabled: boolean): Promise<IngestionToken>;
  /** Replaces the value (the old one stops working at once). NOT_FOUND when missing. */
  rotate(org: string, name: string, token: string): Promise<IngestionToken>;
  /** False when there was no such token. */
  delete(org: string, name: string): Promise<boolean>;
}

export interface ShortUrlRepository {
  /**
   * Stores `url` under `id` in the org unless the id is taken; returns what the id now stands
   * for (the first writer's URL), so the caller can tell a clash from a repeat.
   */
  put(org: string, id: string, url: string): Promise<string>;
  get(org: string, id: string): Promise<string | undefined>;
}
