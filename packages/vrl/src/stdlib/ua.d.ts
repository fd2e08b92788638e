// The npm `woothee` and `uap-ref-impl` packages ship no types; this is what parse_user_agent uses.
declare module 'woothee' {
  export interface WootheeResult {
    name: string;
    category: string;
    os: string;
    version: string;
    vendor: string;
    os_version: string;
  }
  export function parse(ua: string): WootheeResult;
}

declare module 'uap-ref-impl' {
  export interface UapResult {
    ua: { family: string; major: string | null; minor: string | null; patch: string | null };
    os: {
      family: string;
      major: string | null;
      minor: string | null;
      patch: string | null;
      patchMinor: string | null;
    };
    device: { family: string; brand: string | null; model: string | null };
  }
  export default function makeUap(regexes: unknown): { parse(ua: string): UapResult };
}
