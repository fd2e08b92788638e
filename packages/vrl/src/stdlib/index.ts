// The standard library: every built-in function by name.
import type { VrlFunction } from '../function.js';
import { codecFunctions } from './codec.js';
import { checksumFunctions } from './checksum.js';
import { compressFunctions } from './codec-compress.js';
import { textCodecFunctions } from './codec-text.js';
import { collectionFunctions } from './collections.js';
import { cryptoFunctions } from './crypto.js';
import { datadogQueryFunction } from './datadog-query.js';
import { ipBytesFunctions } from './ip-bytes.js';
import { hostFunctions } from './host.js';
import { logFunctions } from './logs.js';
import { miscFunctions } from './misc.js';
import { netFunctions, replaceWith } from './net.js';
import { parseFunctions } from './parse.js';
import { parserFunctions } from './parsers.js';
import { stringFunctions } from './string.js';
import { typeFunctions } from './types.js';
import { uuidFunctions } from './uuid.js';

const all: VrlFunction[] = [
  ...typeFunctions,
  ...stringFunctions,
  ...collectionFunctions,
  ...codecFunctions,
  ...miscFunctions,
  ...parseFunctions,
  ...netFunctions,
  replaceWith,
  ...logFunctions,
  ...parserFunctions,
  ...ipBytesFunctions,
  ...textCodecFunctions,
  ...cryptoFunctions,
  ...checksumFunctions,
  ...compressFunctions,
  ...hostFunctions,
  ...uuidFunctions,
  datadogQueryFunction,
];

export const stdlib: ReadonlyMap<string, VrlFunction> = new Map(all.map((f) => [f.name, f]));
