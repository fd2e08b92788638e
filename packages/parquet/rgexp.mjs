import { readFileSync, writeFileSync } from 'node:fs';
import { readParquet, encodeParquet } from './dist/index.js';
const src = process.argv[2];
const table = await readParquet(readFileSync(src));
for (const rg of [4096, 8192, 16384]) {
  const t0 = performance.now();
  const { bytes } = encodeParquet(table, { rowGroupSize: rg, cluster: true });
  const name = `/tmp/rg-${rg}.parquet`;
  writeFileSync(name, bytes);
  console.log(name, bytes.length, (performance.now() - t0).toFixed(0), 'ms');
}
