import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Object keys and stream types each have one definition in @o2/domain (object-keys.ts,
// stream-types.ts). A second copy drifts the day a type or the layout changes, so product code
// that builds a `files/` key by hand or re-declares the stream-type list fails here.
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'test-support', 'gen']);
const KEY_MODULE = 'packages/domain/src/object-keys.ts';
const TYPES_MODULE = 'packages/domain/src/stream-types.ts';

const KIND = `'(?:logs|metrics|traces)'`;
const KEY_RULES: readonly RegExp[] = [
  /`files\/[^`]*\$\{/g, // `files/${org}/…`
  /['"]files\/[^'"]*['"]\s*\+/g, // 'files/' + org
  /['"`]files\/['"`]\.length/g, // key.slice('files/'.length)
];
const TYPE_RULES: readonly RegExp[] = [
  new RegExp(`${KIND}\\s*\\|\\s*${KIND}`, 'g'), // 'logs' | 'metrics'
  new RegExp(`[=!]==\\s*${KIND}[^\\n]*[=!]==\\s*${KIND}`, 'g'), // v === 'metrics' || v === 'traces'
  new RegExp(`${KIND},\\s*${KIND},\\s*${KIND}`, 'g'), // ['logs', 'metrics', 'traces']
  /'enrichment_tables',\s*'metadata'/g,
];

/** Product source: packages/services src, no tests, fixtures, generated code or build output. */
function productFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) productFiles(path, out);
    } else if (/\.ts$/.test(entry.name) && !/\.(test|contract)\.ts$|\.d\.ts$/.test(entry.name)) {
      out.push(relative(REPO_ROOT, path));
    }
  }
  return out;
}

function sourceFiles(): string[] {
  return ['packages', 'services'].flatMap((top) =>
    readdirSync(join(REPO_ROOT, top), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => {
        try {
          return productFiles(join(REPO_ROOT, top, d.name, 'src'));
        } catch {
          return []; // a package without src/
        }
      }),
  );
}

/** `line: text` of every match of the rules in `text`. */
export function matches(text: string, rules: readonly RegExp[]): string[] {
  const found: string[] = [];
  for (const rule of rules) {
    for (const match of text.matchAll(rule)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push(`${line}: ${match[0].replace(/\s+/g, ' ')}`);
    }
  }
  return found;
}

function findings(rules: readonly RegExp[], owner: string): string[] {
  return sourceFiles()
    .filter((file) => file !== owner)
    .flatMap((file) =>
      matches(readFileSync(join(REPO_ROOT, file), 'utf8'), rules).map((m) => `${file}:${m}`),
    );
}

describe('one vocabulary', () => {
  it('scans the product source of every package and service', () => {
    const files = sourceFiles();
    expect(files).toContain(KEY_MODULE);
    expect(files).toContain('services/router/src/routes/streams.ts');
    expect(files.some((f) => f.endsWith('.test.ts') || f.includes('/dist/'))).toBe(false);
  });

  it('recognises hand-built keys and re-declared stream types', () => {
    const planted = [
      'const key = `files/${org}/${type}/${stream}/${date}/${file}`;',
      "const key = 'files/' + org + '/' + stream;",
      "return key.slice('files/'.length);",
      "type Kind = 'logs' | 'metrics' | 'traces';",
      "if (value === 'logs' || value === 'metrics') return value;",
      "const KINDS = [\n  'logs',\n  'metrics',\n  'traces',\n];",
      "const ALL = ['enrichment_tables', 'metadata'];",
    ].join('\n');
    expect(matches(planted, KEY_RULES)).toHaveLength(3);
    expect(matches(planted, TYPE_RULES)).toHaveLength(4);
    // Endpoint names and key reads are not definitions.
    const fine =
      "new Set(['_multi', 'traces', 'write', 'logs', 'metrics', '_hec']);\nkey.startsWith(x)";
    expect(matches(fine, [...KEY_RULES, ...TYPE_RULES])).toEqual([]);
  });

  it('builds files/ object keys only in the key module', () => {
    expect(findings(KEY_RULES, KEY_MODULE)).toEqual([]);
  });

  it('declares the stream-type list only in the stream-types module', () => {
    expect(findings(TYPE_RULES, TYPES_MODULE)).toEqual([]);
  });
});
