import type { StreamKind } from '@o2/domain';

/** How an OTLP request body is encoded: binary protobuf or the OTLP/JSON mapping. */
export type OtlpEncoding = 'protobuf' | 'json';

/** The three OTLP signals O2 ingests: exactly the ingestible stream kinds. */
export type OtlpSignal = StreamKind;
