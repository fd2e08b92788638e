import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '@o2/errors';
import type { Folder, StoredDashboard } from '@o2/metastore';
import type { UserRole } from '@o2/domain';

/**
 * How dashboards leave the router. The stored document is JSON text spliced into O2's wrapper
 * as it is (never parsed and re-serialised), which is what lets an export round-trip byte for
 * byte through GET.
 */

const EMPTY_VERSIONS = '"v1":null,"v2":null,"v3":null,"v4":null,"v5":null,"v6":null,"v7":null';

/** O2's stored wrapper: `{"v1":null,…,"v8":{…},"version":8,"hash":"…","updatedAt":<µs>}`. */
export function wrapperJson(d: StoredDashboard): string {
  return (
    `{${EMPTY_VERSIONS},"v8":${d.data},"version":${d.version},` +
    `"hash":${JSON.stringify(d.hash)},"updatedAt":${d.updatedAt}}`
  );
}

/** One entry of `GET /dashboards`: the wrapper plus the folder and the listing keys. */
export function listItemJson(d: StoredDashboard, folderName: string): string {
  const extra = {
    folder_id: d.folderId,
    folder_name: folderName,
    dashboard_id: d.dashboardId,
    title: d.title,
    description: d.description,
    role: d.role,
    owner: d.owner,
    created: d.created,
  };
  const wrapper = wrapperJson(d);
  return `${wrapper.slice(0, -1)},${JSON.stringify(extra).slice(1, -1)}}`;
}

/** O2's folder body: `{"folderId","name","description"}`. */
export function folderJson(f: Folder): { folderId: string; name: string; description: string } {
  return { folderId: f.folderId, name: f.name, description: f.description };
}

/**
 * The optimistic-concurrency token: a u64 (as O2 sends it, in decimal) from the document's
 * SHA-256, so it changes whenever the stored text does.
 */
export function dashboardHash(data: string): string {
  return createHash('sha256').update(data).digest().readBigUInt64BE(0).toString();
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A KSUID-shaped id (27 base-62 characters: 4 bytes of seconds, 16 random bytes), like the ids O2
 * gives dashboards and folders; sorts roughly by creation time.
 */
export function newId(nowMs: number): string {
  const bytes = Buffer.concat([Buffer.alloc(4), randomBytes(16)]);
  bytes.writeUInt32BE(Math.floor(nowMs / 1000) % 2 ** 32, 0);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  for (let i = 0; i < 27; i++) {
    out = BASE62[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out;
}

/**
 * Dashboards are open to every member of the org, as in O2's open-source build; a viewer only
 * reads (O2 enforces that through its enterprise RBAC; we keep the role's meaning).
 */
export function requireDashboardWriter(role: UserRole): void {
  if (role === 'viewer') throw AppError.permissionDenied();
}

/** Sends JSON text already built (status 200 unless given). */
export function sendJsonText(
  res: { status(code: number): unknown; type(t: string): unknown; send(body: string): unknown },
  text: string,
  status = 200,
): void {
  res.status(status);
  res.type('application/json');
  res.send(text);
}
