import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@o2/testing';
import type { TempDir } from '@o2/testing';
import { REPO_ROOT, basicAuth } from '../product-process.js';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'deploy/local/dist/cluster.js');
const TRIAL = { email: 'root@example.com', password: 'Complexpass#123' };

interface State {
  status: string;
  supervisorPid: number;
  routerUrl: string;
  processes: Array<{ name: string; pid: number }>;
  dirs: string[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie waiting for a reaper has stopped running.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

describe('pnpm cluster up / status / down', () => {
  let dir: TempDir;
  let stateDir: string;
  let upOutput: string;
  let state: State;

  const cluster = async (command: string) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      O2TS_CLUSTER_DIR: stateDir,
      // Another run may hold 5080; the default port is exercised by hand, not here.
      O2TS_CLUSTER_ROUTER_PORT: '0',
    };
    // The printed credentials are the README's trial ones when the environment names none.
    delete env['ZO_ROOT_USER_EMAIL'];
    delete env['ZO_ROOT_USER_PASSWORD'];
    try {
      const { stdout } = await run(process.execPath, [CLI, command], { env, timeout: 300_000 });
      return { code: 0, stdout };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  };

  const api = async (path: string, body: string) => {
    const response = await fetch(`${state.routerUrl}${path}`, {
      method: 'POST',
      body,
      headers: {
        authorization: basicAuth(TRIAL.email, TRIAL.password),
        'content-type': 'application/json',
      },
    });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    // The CLI runs from dist like the services; build it (a no-op when current).
    await run(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'deploy/local'],
      {
        cwd: REPO_ROOT,
      },
    );
    dir = await makeTempDir('cluster-cli');
    stateDir = join(dir.path, 'state');
    const up = await cluster('up');
    upOutput = up.stdout;
    if (up.code !== 0) throw new Error(`cluster up failed (${up.code}):\n${up.stdout}`);
    state = JSON.parse(readFileSync(join(stateDir, 'cluster.json'), 'utf8')) as State;
  }, 300_000);

  afterAll(async () => {
    // Only does something when a test failed before `down` ran.
    if (existsSync(join(stateDir, 'cluster.json'))) await cluster('down');
    await dir?.remove();
  }, 120_000);

  it('prints the router URL and the trial root credentials', () => {
    expect(state.status).toBe('ready');
    expect(upOutput).toContain(`cluster is up: ${state.routerUrl}`);
    expect(upOutput).toContain(`root user: ${TRIAL.email} / ${TRIAL.password}`);
  });

  it('lists every process alive with its pid', async () => {
    const status = await cluster('status');
    expect(status.code).toBe(0);
    const names = state.processes.map((p) => p.name).sort();
    expect(names).toEqual(
      [
        'alertmanager-1',
        'compactor-1',
        'ingester-1',
        'ingester-2',
        'minio',
        'nats',
        'postgres',
        'querier-1',
        'querier-2',
        'router-1',
      ].sort(),
    );
    for (const p of state.processes) {
      expect(status.stdout).toMatch(new RegExp(`${p.name}\\s+pid ${p.pid}\\s.*alive`));
    }
  });

  it('ingests and searches through the printed router URL', async () => {
    const records = [{ msg: 'one' }, { msg: 'two' }, { msg: 'three' }];
    const ingested = await api('/api/default/cli_check/_json', JSON.stringify(records));
    expect(ingested).toEqual({
      status: 200,
      text: '{"code":200,"status":[{"name":"cli_check","successful":3,"failed":0}]}',
    });
    const now = Date.now();
    const query = {
      sql: 'SELECT count(*) AS n FROM "cli_check"',
      start_time: (now - 3_600_000) * 1000,
      end_time: (now + 3_600_000) * 1000,
    };
    const searched = await api('/api/default/_search', JSON.stringify({ query }));
    expect(searched.status).toBe(200);
    expect((JSON.parse(searched.text) as { hits: Array<{ n: number }> }).hits).toEqual([{ n: 3 }]);
  });

  it('down stops every process and removes the servers’ temp dirs', async () => {
    const down = await cluster('down');
    expect(down.code, down.stdout).toBe(0);
    // Every service left on SIGTERM within the grace period; none had to be killed.
    expect(down.stdout).not.toContain('killed after');
    const pids = [state.supervisorPid, ...state.processes.map((p) => p.pid)];
    expect(pids.filter(alive)).toEqual([]);
    expect(state.dirs.length).toBe(3);
    expect(state.dirs.filter((d) => existsSync(d))).toEqual([]);
    expect(existsSync(join(stateDir, 'cluster.json'))).toBe(false);
  });
});
