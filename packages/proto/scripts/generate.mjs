#!/usr/bin/env node
// Generates packages/proto/src/gen from proto/ with buf + protoc-gen-es, both from this
// package's node_modules, so nothing reaches the network (no Buf Schema Registry, no remote
// plugins).
//
//   node scripts/generate.mjs          lint proto/, regenerate src/gen, format it with prettier
//   node scripts/generate.mjs --check  lint proto/, regenerate into a temp dir and fail when the
//                                      committed src/gen differs (the drift check of `pnpm test`)
//
// The output is formatted with the repo's prettier config so the committed files pass
// `prettier --check` like every other source file; the check formats the same way, so the two
// modes always agree.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(packageDir, '../..');
const protoDir = join(repoDir, 'proto');
const genDir = join(packageDir, 'src/gen');
const binDir = join(packageDir, 'node_modules/.bin');
const check = process.argv.includes('--check');

function fail(message) {
  process.stderr.write(`proto: ${message}\n`);
  process.exit(1);
}

function buf(args, cwd) {
  const result = spawnSync('buf', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}` },
  });
  if (result.error) fail(`cannot run buf (${result.error.message}): run pnpm install`);
  if (result.status !== 0) {
    fail(
      `buf ${args.join(' ')} failed in ${relative(repoDir, cwd) || '.'}:\n${result.stdout}${result.stderr}`,
    );
  }
}

/** Relative paths of every file under dir, sorted. */
function listFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Formats in place; the config is resolved for the committed location of the file. The
 * plugin's blanket `eslint-disable` goes: the generated code passes our lint rules, and eslint 9
 * reports an unused directive as a warning, which `--max-warnings 0` turns into a failure.
 */
async function formatTree(dir) {
  for (const file of listFiles(dir)) {
    const target = join(genDir, file);
    const options = (await prettier.resolveConfig(target)) ?? {};
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8').replace(/^\/\* eslint-disable \*\/\n/m, '');
    writeFileSync(path, await prettier.format(text, { ...options, filepath: target }));
  }
}

buf(['lint'], protoDir);

if (!check) {
  buf(['generate'], protoDir);
  await formatTree(genDir);
  process.stdout.write(
    `proto: generated ${listFiles(genDir).length} files into ${relative(repoDir, genDir)}\n`,
  );
  process.exit(0);
}

// buf.gen.yaml writes to ../packages/proto/src/gen relative to the module, so a copy of proto/
// in a temp dir generates into <temp>/packages/proto/src/gen and never touches the tree.
const scratch = mkdtempSync(join(tmpdir(), 'o2-proto-check-'));
try {
  const scratchProto = join(scratch, 'proto');
  cpSync(protoDir, scratchProto, { recursive: true });
  buf(['generate'], scratchProto);
  const freshDir = join(scratch, 'packages/proto/src/gen');
  await formatTree(freshDir);

  const fresh = listFiles(freshDir);
  const committed = listFiles(genDir);
  const problems = [];
  for (const file of fresh) {
    if (!committed.includes(file)) problems.push(`missing   ${file}`);
    else if (
      readFileSync(join(freshDir, file), 'utf8') !== readFileSync(join(genDir, file), 'utf8')
    )
      problems.push(`outdated  ${file}`);
  }
  for (const file of committed) if (!fresh.includes(file)) problems.push(`stale     ${file}`);
  if (problems.length > 0) {
    fail(
      `packages/proto/src/gen does not match proto/:\n  ${problems.join('\n  ')}\n` +
        'Run `pnpm --filter @o2/proto generate` and commit the result.',
    );
  }
  process.stdout.write(`proto: ${fresh.length} generated files match proto/\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
