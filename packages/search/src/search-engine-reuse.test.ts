import { describe, expect, it } from 'vitest';
import {
  search,
  searchCode,
  ts,
  useK8sSearchWorld,
  world,
} from './test-support/k8s-search-world.js';

useK8sSearchWorld();

/** Pooled connections and memoised parses must never carry one search's state into the next. */
describe('reuse across searches', () => {
  it('answers each of many back-to-back searches from its own range and views', async () => {
    for (let k = 0; k < 12; k++) {
      const from = (k * 37) % world.raw.length;
      const result = await search(
        `SELECT count(*) AS n FROM "default" WHERE _timestamp >= ${ts(from)}`,
      );
      expect(result.hits).toEqual([{ n: world.raw.length - from }]);
      // The same text again (memoised parse and plan): the same answer.
      const again = await search(
        `SELECT count(*) AS n FROM "default" WHERE _timestamp >= ${ts(from)}`,
      );
      expect(again.hits).toEqual(result.hits);
      // The same text over another request range: a view of its own, not the last one's.
      const ranged = await search('SELECT count(*) AS n FROM "default"', { startTime: ts(from) });
      expect(ranged.hits).toEqual([{ n: world.raw.length - from }]);
    }
  });

  it('answers correctly after searches that failed while planning or executing', async () => {
    expect(await searchCode('SELECT nope FROM "default"')).toBe(20004);
    expect(await searchCode(`SELECT CAST(log AS INTEGER) AS x FROM "default"`)).toBe(20008);
    expect(await searchCode('SELEC * FROM "default"')).toBe(20001);
    // The memoised parse of the bad text still fails the same way.
    expect(await searchCode('SELEC * FROM "default"')).toBe(20001);
    const result = await search('SELECT count(*) AS n FROM "default"');
    expect(result.hits).toEqual([{ n: world.raw.length }]);
  });

  it('hands every analyze caller a copy of the remembered analysis', async () => {
    const sql = `SELECT * FROM "default" WHERE match_all('error')`;
    const first = await world.engine.analyze(sql);
    const expected = structuredClone(first);
    first.streams.push({ name: 'injected' });
    first.fullTextTerms[0]?.terms.push('injected');
    expect(await world.engine.analyze(sql)).toEqual(expected);
  });
});
