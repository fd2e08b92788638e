// `--import` entry of a worker run from src/ (under vitest): the repo's one set of TypeScript
// source hooks, kept in @o2/parquet (its encoder worker needs them too). dist/ never loads it.
import { register } from 'node:module';

register('@o2/parquet/ts-source-hooks', import.meta.url);
