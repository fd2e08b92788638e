// Reads the VRL corpus as the upstream harness does (see the corpus README): a leading block of
// `#` lines holds `object:`, `result:` and `read_only*:` headers; the rest is the program.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface VrlCase {
  /** Path below the corpus root, e.g. `expressions/abort/abort.vrl`. */
  file: string;
  /** The folder the case is reported under (`(top level)` for files at the root). */
  folder: string;
  source: string;
  /** The input event as JSON text, `{}` when absent. */
  object: string;
  /** The expected outcome text (joined lines, trailing-trimmed). */
  result: string;
  skip: boolean;
  /** `# DIAGNOSTICS`: the listed diagnostics are expected even when the program compiles. */
  diagnostics: boolean;
  readOnly: { path: string; recursive: boolean; metadata: boolean }[];
}

export interface StdlibExample {
  function: string;
  title: string;
  source: string;
  input?: unknown;
  return?: unknown;
  raises?: string;
  deterministic?: boolean;
}

function vrlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) vrlFiles(p, out);
    else if (e.name.endsWith('.vrl')) out.push(p);
  }
  return out.sort();
}

export function parseCase(file: string, text: string): VrlCase {
  const lines = text.split('\n');
  let i = 0;
  const header: string[] = [];
  while (i < lines.length && (lines[i] as string).startsWith('#')) {
    header.push((lines[i] as string).replace(/^# ?/, ''));
    i++;
  }
  const source = lines.slice(i).join('\n');
  const folderPath = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '(top level)';
  const c: VrlCase = {
    file,
    folder: folderPath,
    source,
    object: '{}',
    result: '',
    skip: header[0]?.trim() === 'SKIP',
    diagnostics: header[0]?.trim() === 'DIAGNOSTICS',
    readOnly: [],
  };
  let section: 'object' | 'result' | undefined;
  const object: string[] = [];
  const result: string[] = [];
  for (const h of header) {
    const m =
      /^(object|result|read_only|read_only_recursive|read_only_metadata|read_only_metadata_recursive):\s?(.*)$/.exec(
        h,
      );
    if (m !== null) {
      const key = m[1] as string;
      const rest = m[2] as string;
      if (key === 'object' || key === 'result') {
        section = key;
        (key === 'object' ? object : result).push(rest);
      } else {
        section = undefined;
        c.readOnly.push({
          path: rest.trim(),
          recursive: key.endsWith('recursive'),
          metadata: key.includes('metadata'),
        });
      }
      continue;
    }
    if (section === 'object') object.push(h);
    else if (section === 'result') result.push(h);
  }
  if (object.length > 0) c.object = object.join('');
  c.result = result.join('\n').trimEnd().replace(/^\n+/, '');
  return c;
}

export function loadCases(corpusDir: string): VrlCase[] {
  return vrlFiles(corpusDir).map((p) => parseCase(relative(corpusDir, p), readFileSync(p, 'utf8')));
}

export function loadStdlibExamples(corpusDir: string): StdlibExample[] {
  return JSON.parse(
    readFileSync(join(corpusDir, 'stdlib-examples.json'), 'utf8'),
  ) as StdlibExample[];
}
