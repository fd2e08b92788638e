// `--import` entry of a worker run from src/ (see source-hooks.js).
import { register } from 'node:module';

register('./source-hooks.js', import.meta.url);
