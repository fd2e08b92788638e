import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { SCRIPTS_DIR } from './test-deps-versions.js';

/** Where tools we build ourselves (MinIO, the collector, telemetrygen) are cached between runs. */
export const TOOL_CACHE_BIN = join(
  process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'),
  'o2ts',
  'bin',
);

export interface ToolSpec {
  /** Binary name, e.g. `nats-server`. */
  name: string;
  /** Absolute paths to try before PATH, e.g. Debian's `/usr/lib/postgresql/15/bin/initdb`. */
  candidates?: string[];
  /**
   * How to install when missing; run once, then the lookup is repeated. `script` runs
   * `scripts/ensure-test-deps.sh`, for tools whose build is more than one command (the collector).
   */
  install?:
    { kind: 'apt'; packages: string[] } | { kind: 'go'; module: string } | { kind: 'script' };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function lookup(spec: ToolSpec): string | undefined {
  for (const candidate of [...(spec.candidates ?? []), join(TOOL_CACHE_BIN, spec.name)]) {
    if (isExecutable(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', `command -v ${spec.name}`], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found !== '' ? found : undefined;
}

/**
 * The path of a tool the tests need, installing it when missing (apt or `go install` into the
 * cache). Never skips: when the tool can't be had, it throws naming the tool and what was tried.
 */
export function ensureTool(spec: ToolSpec): string {
  const existing = lookup(spec);
  if (existing !== undefined) return existing;
  if (spec.install === undefined)
    throw new Error(`${spec.name} is not installed and there is no install recipe for it`);
  try {
    if (spec.install.kind === 'apt') {
      execFileSync(
        'apt-get',
        ['install', '-y', '--no-install-recommends', ...spec.install.packages],
        {
          stdio: 'inherit',
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        },
      );
    } else if (spec.install.kind === 'script') {
      execFileSync('bash', [join(SCRIPTS_DIR, 'ensure-test-deps.sh')], {
        stdio: 'inherit',
        timeout: 30 * 60_000,
      });
    } else {
      // Built into a scratch GOBIN, then kept under the spec's name, so a versioned name
      // (`victoria-logs-1.52.2`) makes a bumped pin rebuild instead of reusing the old binary.
      mkdirSync(TOOL_CACHE_BIN, { recursive: true });
      const gobin = mkdtempSync(join(TOOL_CACHE_BIN, '.go-install-'));
      try {
        execFileSync('go', ['install', spec.install.module], {
          stdio: 'inherit',
          env: { ...process.env, GOBIN: gobin, GOFLAGS: '-trimpath' },
          timeout: 30 * 60_000,
        });
        const built = basename(spec.install.module.replace(/@[^/]*$/, ''));
        renameSync(join(gobin, built), join(TOOL_CACHE_BIN, spec.name));
      } finally {
        rmSync(gobin, { recursive: true, force: true });
      }
    }
  } catch (error) {
    throw new Error(
      `${spec.name} is missing and installing it failed (${JSON.stringify(spec.install)}): ${String(error)}`,
    );
  }
  const installed = lookup(spec);
  if (installed === undefined)
    throw new Error(
      `${spec.name} is still missing after installing ${JSON.stringify(spec.install)}`,
    );
  return installed;
}
