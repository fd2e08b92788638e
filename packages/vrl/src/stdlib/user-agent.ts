// parse_user_agent: "fast" is woothee's answer; "reliable" fills what woothee does not know from
// ua-parser (uap-core's regexes); "enriched" merges both with ua-parser's version parts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import makeUap, { type UapResult } from 'uap-ref-impl';
import { parse as woothee, type WootheeResult } from 'woothee';
import { parse as parseYaml } from 'yaml';
import { fn, functionError, optStr, str, withArgCheck, type VrlFunction } from '../function.js';
import type { Value, VObject } from '../value.js';

let uap: { parse(ua: string): UapResult } | undefined;

function uapParse(ua: string): UapResult {
  if (uap === undefined) {
    const file = createRequire(import.meta.url).resolve('uap-core/regexes.yaml');
    uap = makeUap(parseYaml(readFileSync(file, 'utf8')) as unknown);
  }
  return uap.parse(ua);
}

const known = (s: string | null | undefined): string | null =>
  s === undefined || s === null || s === '' || s === 'UNKNOWN' || s === 'Other' ? null : s;

function version(...parts: (string | null)[]): string | null {
  const out: string[] = [];
  for (const p of parts) {
    if (p === null || p === '') break;
    out.push(p);
  }
  return out.length > 0 ? out.join('.') : null;
}

function fast(w: WootheeResult): VObject {
  return {
    browser: { family: known(w.name), version: known(w.version) },
    device: { category: known(w.category) },
    os: { family: known(w.os), version: known(w.os_version) },
  };
}

function reliable(ua: string, w: WootheeResult): VObject {
  const out = fast(w) as Record<string, Record<string, Value>>;
  const b = out['browser'] as Record<string, Value>;
  const o = out['os'] as Record<string, Value>;
  if (b['family'] === null || o['family'] === null) {
    const u = uapParse(ua);
    if (b['family'] === null) {
      b['family'] = known(u.ua.family);
      b['version'] = version(u.ua.major, u.ua.minor, u.ua.patch);
    }
    if (o['family'] === null) {
      o['family'] = known(u.os.family);
      o['version'] = version(u.os.major, u.os.minor, u.os.patch, u.os.patchMinor);
    }
  }
  return out;
}

function enriched(ua: string, w: WootheeResult): VObject {
  const u = uapParse(ua);
  return {
    browser: {
      family: known(u.ua.family) ?? known(w.name),
      major: u.ua.major,
      minor: u.ua.minor,
      patch: u.ua.patch,
      version: known(w.version) ?? version(u.ua.major, u.ua.minor, u.ua.patch),
    },
    device: {
      brand: u.device.brand,
      category: known(w.category),
      family: known(u.device.family),
      model: u.device.model,
    },
    os: {
      family: known(u.os.family) ?? known(w.os),
      major: u.os.major,
      minor: u.os.minor,
      patch: u.os.patch,
      patch_minor: u.os.patchMinor,
      version: known(w.os_version) ?? version(u.os.major, u.os.minor, u.os.patch, u.os.patchMinor),
    },
  };
}

const MODES = new Set(['fast', 'reliable', 'enriched']);

export const userAgentFunctions: VrlFunction[] = [
  withArgCheck(
    fn('parse_user_agent', ['value:string', 'mode:string?'], ([v, m]) => {
      const ua = str(v);
      const mode = optStr(m, 'fast');
      const w = woothee(ua);
      if (mode === 'fast') return fast(w);
      if (mode === 'reliable') return reliable(ua, w);
      if (mode === 'enriched') return enriched(ua, w);
      throw functionError(`unknown mode "${mode}"`);
    }),
    ([, m]) =>
      typeof m === 'string' && !MODES.has(m)
        ? `invalid argument "mode": unknown mode "${m}"`
        : undefined,
  ),
];
