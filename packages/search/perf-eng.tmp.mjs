import { createSearchEngine } from './dist/index.js';
import { DuckDBInstance } from '@duckdb/node-api';
const files = process.argv.slice(2);
const eng = await createSearchEngine({ tempDir: '/tmp/perf-eng-tmp', allowedDirectories: ['/tmp'] });
const inst = await DuckDBInstance.create(':memory:', {});
const c = await inst.connect();
const schema = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(['${files[0]}'])`)).getRows().map(r => ({ name: r[0], type: r[1] === 'BIGINT' ? 'Int64' : r[1] === 'DOUBLE' ? 'Float64' : r[1]==='BOOLEAN' ? 'Boolean' : 'Utf8' }));
const sources = [{ name: 'k8s', type: 'logs', schema, parquetFiles: files, tables: [] }];
const range = { startTime: 1796418000000000, endTime: 1796423000000000 };
for (const sql of ['SELECT count(*) AS n FROM "k8s"', 'SELECT kubernetes_namespace_name AS k, count(*) AS n FROM "k8s" GROUP BY k', 'SELECT count(*) AS n FROM "k8s" WHERE code = 200']) {
  const t = [];
  for (let i = 0; i < 6; i++) { const s = performance.now(); const a = await eng.analyze(sql); const s2 = performance.now(); const r = await eng.search({ sql, ...range, size: 100 }, sources); t.push(`a${(s2 - s).toFixed(0)} p${globalThis.__prof[0]} v${globalThis.__prof[1]} r${r.took_detail.search_took} =${(performance.now() - s2).toFixed(0)}`); }
  console.log(sql.slice(0, 40), t.join(' '));
}
await eng.close();
