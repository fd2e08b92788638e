// Writes (--write) or checks (--check) the settings table between the markers in README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderSettingsTable } from '../packages/config/dist/index.js';

const START = '<!-- settings:start -->';
const END = '<!-- settings:end -->';
const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < 0) {
  console.error(`README.md lacks the ${START} / ${END} markers`);
  process.exit(1);
}
const next = `${readme.slice(0, from + START.length)}\n${renderSettingsTable()}\n${readme.slice(to)}`;
if (process.argv.includes('--write')) {
  writeFileSync('README.md', next);
} else if (next !== readme) {
  console.error('README.md settings table is out of date: run `pnpm docs:settings`');
  process.exit(1);
}
