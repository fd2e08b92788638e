import { describe, expect, it } from 'vitest';
import {
  ids,
  oracle,
  search,
  text,
  ts,
  useK8sSearchWorld,
  world,
} from './test-support/k8s-search-world.js';

useK8sSearchWorld();

/** Every row of the world, by id (read once the world exists). */
const all = (): number[] => oracle(() => true);

describe('ZO_DASHBOARD_PLACEHOLDER ("All" variable values)', () => {
  it('reads a comparison or IN list holding the sentinel as no filter', async () => {
    for (const where of [
      `kubernetes_namespace_name = '_o2_all_'`,
      `'_o2_all_' = kubernetes_namespace_name`,
      `kubernetes_namespace_name IN ('_o2_all_')`,
      `kubernetes_namespace_name IN ('ingest', '_o2_all_')`,
      `kubernetes_namespace_name LIKE '_o2_all_'`,
      `kubernetes_namespace_name ILIKE '_o2_all_'`,
      `str_match(kubernetes_namespace_name, '_o2_all_')`,
      `str_match_ignore_case(log, '_o2_all_')`,
      `kubernetes_namespace_name >= '_o2_all_'`,
      // An unquoted `$var` substituted with the sentinel is an identifier.
      `kubernetes_namespace_name = _o2_all_`,
    ]) {
      const result = await search(`SELECT _timestamp FROM "default" WHERE ${where}`);
      expect([where, ids(result)]).toEqual([where, all()]);
    }
  });

  it('reads a negated one as matching nothing', async () => {
    for (const where of [
      `kubernetes_namespace_name != '_o2_all_'`,
      `kubernetes_namespace_name NOT IN ('_o2_all_')`,
      `kubernetes_namespace_name NOT LIKE '_o2_all_'`,
    ]) {
      const result = await search(`SELECT _timestamp FROM "default" WHERE ${where}`);
      expect([where, ids(result)]).toEqual([where, []]);
    }
  });

  it('keeps the other predicates of the query', async () => {
    const first = (await search(`SELECT kubernetes_namespace_name FROM "default" LIMIT 1`)).hits[0];
    const one = text(first?.['kubernetes_namespace_name']);
    expect(one).toBeDefined();
    const only = `kubernetes_namespace_name = '${one}'`;
    const expected = ids(await search(`SELECT _timestamp FROM "default" WHERE ${only}`));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all().length);
    const result = await search(
      `SELECT _timestamp FROM "default" WHERE ${only}
       AND (kubernetes_pod_name = '_o2_all_' OR kubernetes_container_name = '_o2_all_')`,
    );
    expect(ids(result)).toEqual(expected);
    const grouped = await search(
      `SELECT kubernetes_namespace_name AS ns, count(*) AS n FROM "default"
       WHERE kubernetes_namespace_name IN ('_o2_all_') GROUP BY ns ORDER BY ns`,
    );
    expect(grouped.hits.reduce((sum, h) => sum + Number(h['n']), 0)).toBe(all().length);
  });

  it('leaves a value that merely contains the sentinel alone', async () => {
    const result = await search(
      `SELECT _timestamp FROM "default" WHERE kubernetes_namespace_name = 'x_o2_all_'`,
    );
    expect(ids(result)).toEqual([]);
  });

  it('applies to _values too: a variable filtered by an "All" parent lists every value', async () => {
    const values = (filter?: string) =>
      world.engine.values(
        { name: 'default' },
        {
          fields: ['kubernetes_pod_name'],
          startTime: ts(0),
          endTime: ts(world.raw.length),
          size: 1000,
          ...(filter === undefined ? {} : { filter }),
        },
        world.sources,
      );
    const unfiltered = await values();
    expect(await values('kubernetes_namespace_name=_o2_all_')).toMatchObject({
      hits: unfiltered.hits,
    });
    // …while a real parent value narrows the list (so the filter is applied at all).
    const first = (await search(`SELECT kubernetes_namespace_name FROM "default" LIMIT 1`)).hits[0];
    const narrowed = await values(
      `kubernetes_namespace_name=${text(first?.['kubernetes_namespace_name'])}`,
    );
    const count = (r: typeof unfiltered) => JSON.stringify(r.hits).length;
    expect(count(narrowed)).toBeLessThan(count(unfiltered));
  });
});
