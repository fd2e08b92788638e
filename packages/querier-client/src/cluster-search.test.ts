import { MemoryCluster } from '@o2/cluster';
import type { NodeRegistration } from '@o2/cluster';
import { AppError } from '@o2/errors';
import { createGrpcServer } from '@o2/grpc';
import type { GrpcServer, ServiceImpl } from '@o2/grpc';
import { createLogger } from '@o2/logger';
import { QueryService } from '@o2/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSearch } from './cluster-search.js';
import { PeerClients } from './peer-clients.js';

const TOKEN = 'cluster-search-token';
const logger = createLogger({ level: 'silent' });
const QUERY = { sql: 'SELECT * FROM "default"', startTime: 0, endTime: 1 };

/** A querier's QueryService that names itself in every answer and records the SQL it got. */
function namedQuerier(name: string, calls: string[]): ServiceImpl<typeof QueryService> {
  const answer = (sql: string) => {
    calls.push(sql);
    if (sql.includes('no_such_stream'))
      throw new AppError('NOT_FOUND', 'stream no_such_stream not found');
    return { bodyJson: new TextEncoder().encode(JSON.stringify({ hits: [{ querier: name }] })) };
  };
  return {
    query: (request) => Promise.resolve(answer(request.query?.sql ?? '')),
    values: (request) => Promise.resolve(answer(request.query?.sql ?? 'values')),
    around: (request) => Promise.resolve(answer(request.query?.sql ?? 'around')),
    partition: (request) => Promise.resolve(answer(request.query?.sql ?? 'partition')),
  };
}

// Two real gRPC queriers registered in a real (in-memory) node registry; one is stopped while
// its registration lives on, as a SIGKILLed querier's does until its heartbeat lapses.
describe('clusterSearch over two queriers', () => {
  const cluster = new MemoryCluster({ nodeTtlMs: 60_000 });
  const peers = new PeerClients({ cluster, token: TOKEN, logger, maxMessageBytes: 1 << 20 });
  const search = clusterSearch({ peers, logger, timeoutMs: 10_000 });
  const servers = new Map<string, GrpcServer>();
  const calls = new Map<string, string[]>();
  const registrations: NodeRegistration[] = [];

  const who = async (sql = QUERY.sql) => {
    const body = (await search.search('default', 'logs', { ...QUERY, sql })) as unknown as {
      hits: Array<{ querier: string }>;
    };
    return body.hits[0]?.querier;
  };

  beforeAll(async () => {
    for (const name of ['querier-a', 'querier-b']) {
      const server = createGrpcServer({ port: 0, host: '127.0.0.1', token: TOKEN, logger });
      const received: string[] = [];
      server.add(QueryService, namedQuerier(name, received));
      await server.start();
      servers.set(name, server);
      calls.set(name, received);
      registrations.push(
        await cluster.nodes.register({
          id: name,
          name,
          roles: ['querier'],
          httpAddr: '',
          grpcAddr: `127.0.0.1:${server.port}`,
          startedAt: Date.now(),
        }),
      );
    }
  });

  afterAll(async () => {
    peers.close();
    await Promise.all(registrations.map((r) => r.deregister()));
    await Promise.all([...servers.values()].map((s) => s.stop()));
    await cluster.close();
  });

  it('spreads queries round robin over the live queriers', async () => {
    const answered = [await who(), await who(), await who(), await who()];
    expect(answered.sort()).toEqual(['querier-a', 'querier-a', 'querier-b', 'querier-b']);
  });

  it('sends a querier error back as it is, without asking the other querier', async () => {
    const before = [...calls.values()].map((c) => c.length);
    const error = await who('SELECT * FROM "no_such_stream"').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('NOT_FOUND');
    const after = [...calls.values()].map((c) => c.length);
    expect(after.reduce((a, b) => a + b) - before.reduce((a, b) => a + b)).toBe(1);
  });

  it('moves every query, of every kind, to the survivor when a registered querier is down', async () => {
    await servers.get('querier-b')?.stop();
    const answered: Array<string | undefined> = [];
    for (let i = 0; i < 6; i++) answered.push(await who());
    const survivor = { hits: [{ querier: 'querier-a' }] };
    expect(await search.values('default', 'logs', 'default', { fields: ['f'], ...QUERY })).toEqual(
      survivor,
    );
    expect(await search.around('default', 'logs', 'default', { key: 1, size: 10 })).toEqual(
      survivor,
    );
    expect(await search.partition('default', 'logs', QUERY)).toEqual(survivor);
    expect(answered).toEqual(Array.from({ length: 6 }, () => 'querier-a'));
  });

  it('answers UNAVAILABLE when no registered querier is reachable', async () => {
    await servers.get('querier-a')?.stop();
    const error = await who().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('UNAVAILABLE');
  });
});
