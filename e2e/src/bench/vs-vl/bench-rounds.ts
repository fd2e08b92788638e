import { QUERY_CASES, runQuery } from './bench-queries.js';
import type { TimeWindow } from './bench-queries.js';
import type { BenchServer, SystemName } from './bench-servers.js';

export interface RoundsResult {
  /** Query name → system → ms per round (NaN for a failed query). */
  times: Map<string, Map<SystemName, number[]>>;
  /** Answers that differ from the single node's (first round). */
  mismatches: string[];
  /** Queries that failed on the cluster (a cluster failure never ends the bench). */
  failures: string[];
}

/**
 * `rounds` passes over the table's queries, every query on every server back to back, the order
 * reversed every other round so no system always runs first (on a warmer cache or a quieter
 * moment). Round 0's answers are compared with the single node's.
 */
export async function queryRounds(
  servers: readonly BenchServer[],
  rounds: number,
  window: TimeWindow,
): Promise<RoundsResult> {
  const times = new Map<string, Map<SystemName, number[]>>();
  const mismatches: string[] = [];
  const failures: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const query of QUERY_CASES) {
      const answers = new Map<SystemName, string>();
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      const entry = times.get(query.name) ?? new Map<SystemName, number[]>();
      times.set(query.name, entry);
      for (const server of order) {
        const list = entry.get(server.name) ?? [];
        entry.set(server.name, list);
        try {
          const result = await runQuery(server, query, window);
          answers.set(server.name, result.answer);
          list.push(result.ms);
        } catch (error) {
          if (server.name !== 'cluster') throw error;
          list.push(NaN);
          failures.push(`cluster ${query.name} (round ${round + 1}): ${String(error)}`);
        }
      }
      if (round > 0) continue;
      const single = answers.get('O2TS');
      for (const [name, answer] of answers) {
        if (name === 'O2TS' || answer === single) continue;
        mismatches.push(
          `${query.name}: O2TS ${single?.slice(0, 300)} | ${name} ${answer.slice(0, 300)}`,
        );
      }
    }
  }
  return { times, mismatches, failures };
}
