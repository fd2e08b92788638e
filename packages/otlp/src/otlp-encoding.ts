/** How an OTLP request body is encoded: binary protobuf or the OTLP/JSON mapping. */
export type OtlpEncoding = 'protobuf' | 'json';

/** The three OTLP signals O2 ingests. */
export type OtlpSignal = 'logs' | 'metrics' | 'traces';
