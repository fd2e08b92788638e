import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { appendFile, chown, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '@o2/errors';
import { ensureTool } from './ensure-tool.js';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dir.js';

const run = promisify(execFile);

/** A throwaway Postgres cluster on a random loopback port, trust auth, no password. */
export interface PostgresServerHandle {
  port: number;
  host: '127.0.0.1';
  /** DSN of the `postgres` database as the `postgres` superuser. */
  adminDsn: string;
  /** Creates an empty database (a fresh name when none is given) and returns its DSN. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server and removes its files; safe to call twice. */
  stop(): Promise<void>;
  /**
   * Outage tests: stops the server (`pg_ctl stop -m fast`: sessions are terminated, as when an
   * operator restarts Postgres) but keeps its port and data, so `start()` brings it back.
   */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port over the same data; resolves when it accepts connections. */
  start(): Promise<void>;
  /** `halt()`, wait `downMs`, `start()`. */
  restart(downMs?: number): Promise<void>;
}

const DIR_PREFIX = 'o2ts-pg-';
const OWNER_FILE = 'owner.pid';
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface PgTools {
  binDir: string;
  /** Wraps a server-side command so it runs as the `postgres` user when we are root. */
  asServerUser: (command: string, args: string[]) => [string, string[]];
  owner: { uid: number; gid: number } | undefined;
}

function findTools(): PgTools {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const initdb = ensureTool({
    name: 'initdb',
    candidates: versions.map((v) => `/usr/lib/postgresql/${v}/bin/initdb`),
    install: { kind: 'apt', packages: ['postgresql'] },
  });
  const binDir = dirname(initdb);
  // Postgres refuses to run as root, so as root the server-side tools run as `postgres`.
  if (process.getuid?.() !== 0) {
    return { binDir, asServerUser: (command, args) => [command, args], owner: undefined };
  }
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  let owner: { uid: number; gid: number };
  try {
    owner = { uid: id('-u'), gid: id('-g') };
  } catch (error) {
    throw new AppError('UNAVAILABLE', 'running as root but there is no `postgres` user', {
      cause: error,
    });
  }
  const runuser = ensureTool({ name: 'runuser' });
  return {
    binDir,
    asServerUser: (command, args) => [runuser, ['-u', 'postgres', '--', command, ...args]],
    owner,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function stopCluster(tools: PgTools, dir: string): Promise<void> {
  if (!existsSync(join(dir, 'data', 'postmaster.pid'))) return;
  const [command, args] = tools.asServerUser(join(tools.binDir, 'pg_ctl'), [
    'stop',
    '-D',
    join(dir, 'data'),
    '-m',
    'immediate',
    '-w',
  ]);
  await run(command, args, { cwd: dir }).catch(() => undefined);
}

/**
 * Removes clusters whose test process died without stopping them (a crashed or killed run).
 * A cluster whose owner is alive belongs to a concurrently running test file and is left alone.
 */
async function removeAbandoned(tools: PgTools): Promise<void> {
  const root = tmpdir();
  for (const entry of await readdir(root)) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const dir = join(root, entry);
    const owner = Number(await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => ''));
    if (owner > 0 && isAlive(owner)) continue;
    // No owner file yet means someone is just creating it; give them ten minutes.
    if (owner === 0) {
      const age = Date.now() - (await stat(dir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age < 10 * 60_000) continue;
    }
    await stopCluster(tools, dir);
    await rm(dir, { recursive: true, force: true });
  }
}

async function logTail(logFile: string): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '(no server log)');
  return text.split('\n').slice(-30).join('\n');
}

function errorOutput(error: unknown): string {
  const e = error as { stderr?: string; stdout?: string; message?: string };
  return [e.message, e.stdout, e.stderr].filter((s) => s !== undefined && s !== '').join('\n');
}

/**
 * Starts a private Postgres cluster (initdb + pg_ctl) in a temp dir. Durability is switched off
 * (fsync, full-page writes) because the data is thrown away; that makes initdb and CREATE
 * DATABASE fast enough to give every test its own database.
 */
export async function startPostgresServer(): Promise<PostgresServerHandle> {
  const tools = findTools();
  await removeAbandoned(tools);

  const temp = await makeTempDir('pg');
  const dir = temp.path;
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
  if (tools.owner !== undefined) await chown(dir, tools.owner.uid, tools.owner.gid);

  const serverCommand = (tool: string, args: string[]): Promise<unknown> => {
    const [command, fullArgs] = tools.asServerUser(join(tools.binDir, tool), args);
    return run(command, fullArgs, { cwd: dir, timeout: 120_000 });
  };

  let started = false;
  const stopSync = (): void => {
    if (started) {
      const [command, args] = tools.asServerUser(join(tools.binDir, 'pg_ctl'), [
        'stop',
        '-D',
        dataDir,
        '-m',
        'immediate',
        '-w',
      ]);
      try {
        execFileSync(command, args, { cwd: dir, stdio: 'ignore' });
      } catch {
        // Already gone; the directory removal below is what matters.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test file that throws before its afterAll still exits; don't leave a server behind.
  process.once('exit', stopSync);

  try {
    await serverCommand('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]).catch((error: unknown) => {
      throw new AppError('UNAVAILABLE', `initdb failed in ${dataDir}: ${errorOutput(error)}`);
    });

    let port = 0;
    // freePort can race with another process grabbing the port; retry with a new one.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      await appendFile(
        join(dataDir, 'postgresql.conf'),
        [
          '',
          `port = ${port}`,
          `listen_addresses = '127.0.0.1'`,
          `unix_socket_directories = '${dir}'`,
          'max_connections = 200',
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          '',
        ].join('\n'),
      );
      try {
        await serverCommand('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60']);
        started = true;
        break;
      } catch (error) {
        const log = await logTail(logFile);
        if (attempt < 3 && log.includes('could not bind')) continue;
        throw new AppError(
          'UNAVAILABLE',
          `postgres did not start on port ${port}: ${errorOutput(error)}\n--- server log ---\n${log}`,
        );
      }
    }

    let stopped = false;
    let counter = 0;
    const host = '127.0.0.1' as const;
    const halt = async (): Promise<void> => {
      if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
      await serverCommand('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
    };
    const start = async (): Promise<void> => {
      if (stopped) throw new AppError('FAILED_PRECONDITION', 'postgres was stopped for good');
      if (existsSync(join(dataDir, 'postmaster.pid'))) return;
      await serverCommand('pg_ctl', [
        'start',
        '-D',
        dataDir,
        '-l',
        logFile,
        '-w',
        '-t',
        '60',
      ]).catch(async (error: unknown) => {
        throw new AppError(
          'UNAVAILABLE',
          `postgres did not start again on port ${port}: ${errorOutput(error)}\n--- server log ---\n${await logTail(logFile)}`,
        );
      });
    };
    return {
      port,
      host,
      adminDsn: `postgres://postgres@${host}:${port}/postgres`,
      async createDatabase(name?: string): Promise<string> {
        const dbName = name ?? `db_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
        if (!DATABASE_NAME.test(dbName)) {
          throw AppError.invalidArgument(`database name "${dbName}" must match ${DATABASE_NAME}`);
        }
        try {
          await run(
            join(tools.binDir, 'createdb'),
            ['-h', host, '-p', String(port), '-U', 'postgres', dbName],
            { cwd: dir, timeout: 60_000 },
          );
        } catch (error) {
          throw new AppError(
            'UNAVAILABLE',
            `createdb ${dbName} failed: ${errorOutput(error)}\n--- server log ---\n${await logTail(logFile)}`,
          );
        }
        return `postgres://postgres@${host}:${port}/${dbName}`;
      },
      halt,
      start,
      restart: async (downMs = 0) => {
        await halt();
        await new Promise((resolve) => setTimeout(resolve, downMs));
        await start();
      },
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', stopSync);
        await stopCluster(tools, dir);
        await temp.remove();
      },
    };
  } catch (error) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw error;
  }
}
