/* eslint-disable no-console -- a build step whose output is this report */
// Prints what the first page costs: the entry script, its static imports (modulepreload) and
// the CSS that index.html loads, gzip-compressed, then every lazy chunk on its own line.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const firstPage = [...html.matchAll(/(?:src|href)="\/web\/(assets\/[^"]+\.(?:js|css))"/g)].map(
  (m) => m[1],
);
const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const first = firstPage.reduce((sum, file) => sum + gz(file), 0);
console.log(`[web] first page: ${kb(first)} gzip (${firstPage.join(', ')})`);
const lazy = readdirSync(join(dist, 'assets')).filter(
  (f) => /\.(js|css)$/.test(f) && !firstPage.includes(`assets/${f}`),
);
for (const file of lazy) console.log(`[web]   lazy ${file}: ${kb(gz(`assets/${file}`))} gzip`);
