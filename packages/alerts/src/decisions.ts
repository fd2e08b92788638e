/**
 * What happens to an evaluation that met its condition: notify, or hold back because the alert
 * is silenced (it notified less than `silence` minutes ago) or because the same fingerprint was
 * already sent within the dedup window. Pure: the scheduler passes the stored state.
 */
export interface NotifyState {
  /** ms until which notifications are held (0: not silenced). */
  silencedUntil: number;
  /** Fingerprint → ms it was last sent, for the dedup window. */
  sentFingerprints: Readonly<Record<string, number>>;
}

export type NotifyDecision =
  { notify: true; fingerprints: string[] } | { notify: false; reason: 'silenced' | 'deduplicated' };

/** The fingerprint of a row: the values of `fields`, in order (all fields when empty). */
export function fingerprint(row: Readonly<Record<string, unknown>>, fields: readonly string[]) {
  const keys = fields.length > 0 ? fields : Object.keys(row).sort();
  return JSON.stringify(keys.map((k) => [k, row[k] ?? null]));
}

export function decideNotify(options: {
  nowMs: number;
  state: NotifyState;
  rows: ReadonlyArray<Record<string, unknown>>;
  dedup?: { enabled: boolean; fields: readonly string[]; windowMs: number };
}): NotifyDecision {
  const { nowMs, state, rows, dedup } = options;
  if (state.silencedUntil > nowMs) return { notify: false, reason: 'silenced' };
  if (dedup === undefined || !dedup.enabled || rows.length === 0)
    return { notify: true, fingerprints: [] };
  const fresh = new Set<string>();
  for (const row of rows) {
    const fp = fingerprint(row, dedup.fields);
    const last = state.sentFingerprints[fp];
    if (last === undefined || nowMs - last >= dedup.windowMs) fresh.add(fp);
  }
  if (fresh.size === 0) return { notify: false, reason: 'deduplicated' };
  return { notify: true, fingerprints: [...fresh] };
}

/** The fingerprint map after a send: new ones recorded, those past the window dropped. */
export function rememberFingerprints(
  state: NotifyState,
  sent: readonly string[],
  nowMs: number,
  windowMs: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [fp, at] of Object.entries(state.sentFingerprints))
    if (nowMs - at < windowMs) out[fp] = at;
  for (const fp of sent) out[fp] = nowMs;
  return out;
}
