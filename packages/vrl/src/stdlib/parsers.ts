// The parsing functions added for issue 19 (log formats, CBOR, CEF, …), one list for index.ts.
import type { VrlFunction } from '../function.js';
import { cborFunctions } from './cbor.js';
import { etldFunctions } from './etld.js';
import { grokFunctions } from './grok.js';
import { glogFunctions } from './parse-glog.js';
import { xmlFunctions } from './parse-xml.js';
import { protoFunctions } from './proto.js';
import { userAgentFunctions } from './user-agent.js';
import { awsFunctions } from './parse-aws.js';
import { nginxFunctions } from './parse-nginx.js';
import { cefFunctions } from './parse-cef.js';

export const parserFunctions: VrlFunction[] = [
  ...cefFunctions,
  ...cborFunctions,
  ...awsFunctions,
  ...nginxFunctions,
  ...etldFunctions,
  ...grokFunctions,
  ...glogFunctions,
  ...xmlFunctions,
  ...userAgentFunctions,
  ...protoFunctions(),
];
