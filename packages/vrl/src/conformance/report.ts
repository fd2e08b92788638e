// The per-folder score table the conformance test prints, and the ratchet it compares against.
import type { StdlibExample, VrlCase } from './cases.js';
import type { Verdict } from './judge.js';

export interface CaseOutcome {
  c: VrlCase;
  verdict: Verdict;
}

export interface Scores {
  folders: Record<string, { passed: number; total: number }>;
  casesPassed: number;
  casesTotal: number;
  casesSkipped: number;
  stdlibPassed: number;
  stdlibTotal: number;
}

/** The committed floor: pass counts that may only go up. */
export interface Ratchet {
  folders: Record<string, number>;
  stdlib: number;
  /** Cases where our outcome equals @bpinternal/verel's (kept by verel-cross-check.test.ts). */
  verelAgreement?: number;
}

export function score(
  cases: CaseOutcome[],
  examples: { e: StdlibExample; verdict: Verdict }[],
): Scores {
  const folders: Scores['folders'] = {};
  let casesPassed = 0;
  let casesSkipped = 0;
  for (const { c, verdict } of cases) {
    if (c.skip) {
      casesSkipped++;
      continue;
    }
    const f = (folders[c.folder] ??= { passed: 0, total: 0 });
    f.total++;
    if (verdict.passed) {
      f.passed++;
      casesPassed++;
    }
  }
  return {
    folders,
    casesPassed,
    casesTotal: cases.length - casesSkipped,
    casesSkipped,
    stdlibPassed: examples.filter((x) => x.verdict.passed).length,
    stdlibTotal: examples.length,
  };
}

const pct = (p: number, t: number): string => (t === 0 ? '—' : `${((100 * p) / t).toFixed(1)} %`);

export function formatTable(s: Scores): string {
  const names = Object.keys(s.folders).sort();
  const width = Math.max(20, ...names.map((n) => n.length));
  const row = (a: string, b: string, c: string): string =>
    `${a.padEnd(width)}  ${b.padStart(9)}  ${c.padStart(8)}`;
  const lines = [row('folder', 'passed', '%'), '-'.repeat(width + 21)];
  for (const n of names) {
    const f = s.folders[n] as { passed: number; total: number };
    lines.push(row(n, `${f.passed}/${f.total}`, pct(f.passed, f.total)));
  }
  lines.push('-'.repeat(width + 21));
  lines.push(
    row('.vrl cases', `${s.casesPassed}/${s.casesTotal}`, pct(s.casesPassed, s.casesTotal)),
  );
  lines.push(
    row(
      'stdlib examples',
      `${s.stdlibPassed}/${s.stdlibTotal}`,
      pct(s.stdlibPassed, s.stdlibTotal),
    ),
  );
  if (s.casesSkipped > 0)
    lines.push(`(${s.casesSkipped} case marked # SKIP in the corpus, not counted)`);
  return lines.join('\n');
}

/** Every folder or figure that fell below the ratchet. */
export function belowRatchet(s: Scores, r: Ratchet): string[] {
  const out: string[] = [];
  for (const [name, floor] of Object.entries(r.folders)) {
    const got = s.folders[name]?.passed ?? 0;
    if (got < floor) out.push(`${name}: ${got} passed, ratchet ${floor}`);
  }
  if (s.stdlibPassed < r.stdlib)
    out.push(`stdlib examples: ${s.stdlibPassed} passed, ratchet ${r.stdlib}`);
  return out;
}

/** The ratchet raised to today's counts (never lowered). */
export function raised(s: Scores, r: Ratchet): Ratchet {
  const folders: Record<string, number> = {};
  for (const name of Object.keys(s.folders).sort()) {
    folders[name] = Math.max(r.folders[name] ?? 0, s.folders[name]?.passed ?? 0);
  }
  return { ...r, folders, stdlib: Math.max(r.stdlib, s.stdlibPassed) };
}
