export { freePort, waitForPort } from './free-port.js';
export { makeTempDir } from './temp-dir.js';
export type { TempDir } from './temp-dir.js';
export { TOOL_CACHE_BIN, ensureTool } from './ensure-tool.js';
export type { ToolSpec } from './ensure-tool.js';
export {
  startMinioServer,
  type MinioServerHandle,
  type MinioServerOptions,
} from './minio-server.js';
export { startNatsServer, type NatsServerHandle } from './nats-server.js';
export { startPostgresServer, type PostgresServerHandle } from './postgres-server.js';
export { K8S_SAMPLE_COUNT, generateK8sLogs, jsonBody } from './k8s-log-generator.js';
export type { K8sLogOptions, K8sLogRecord } from './k8s-log-generator.js';
export { SeededRandom } from './seeded-random.js';
export { mountSmallDisk, type SmallDisk } from './small-disk.js';
export { SCRIPTS_DIR, testDepsVersions } from './test-deps-versions.js';
export type { TestDepsVersions } from './test-deps-versions.js';
export {
  helmBinary,
  k8sStrictBinary,
  mailpitBinary,
  otelCollectorBinary,
  prometheusBinary,
  promtoolBinary,
  telemetrygenBinary,
  victoriaLogsBinary,
} from './test-tools.js';
export { ManagedProcess } from './managed-process.js';
export type { ManagedProcessOptions } from './managed-process.js';
export { startPrometheus } from './prometheus-server.js';
export type { PrometheusHandle, PrometheusOptions, WaitOptions } from './prometheus-server.js';
export { prometheusConfig } from './prometheus-config.js';
export type {
  PrometheusConfigOptions,
  RemoteWriteTarget,
  ScrapeTarget,
} from './prometheus-config.js';
export { PrometheusApiClient } from './prometheus-api-client.js';
export type {
  PromApiResponse,
  PromHistogram,
  PromInstantSample,
  PromQueryData,
  PromRangeSeries,
  PromTime,
  PromValue,
  PrometheusApiClientOptions,
} from './prometheus-api-client.js';
export {
  compareQueryResults,
  expectSameQueryResult,
  floatsMatch,
  labelSetKey,
  parsePromFloat,
} from './compare-query-results.js';
export type { CompareOptions, QueryResultComparison } from './compare-query-results.js';
export { SAMPLE_METRICS, startSampleExporter } from './sample-exporter.js';
export type { SampleExporter, SampleExporterOptions } from './sample-exporter.js';
export {
  OTLP_GRPC_ENDPOINT_ENV,
  OTLP_HTTP_ENDPOINT_ENV,
  startOtelCollector,
} from './otel-collector.js';
export type { OtelCollectorHandle, OtelCollectorOptions } from './otel-collector.js';
export { runTelemetrygen, telemetrygenArgs } from './telemetrygen.js';
export type { TelemetrySignal, TelemetrygenOptions, TelemetrygenResult } from './telemetrygen.js';
export { startMailpit } from './mailpit.js';
export type {
  MailpitAddress,
  MailpitHandle,
  MailpitMessage,
  MailpitOptions,
  MailpitSummary,
} from './mailpit.js';
export { startRequestRecorder } from './request-recorder.js';
export type { RecordedRequest, RequestRecorder } from './request-recorder.js';
export { topLevelProtobufFields } from './protobuf-fields.js';
export { openMetricsText } from './open-metrics.js';
export type { BackfillSeries } from './open-metrics.js';
export { promtoolQueryArgs, runPromtoolQuery } from './promtool.js';
export type { PromtoolQueryOptions, PromtoolResult } from './promtool.js';
export { hotCommerceTraces } from './hot-commerce-trace.js';
export type { HotCommerceTraces, SpanRow } from './hot-commerce-trace.js';
export { HOT_COMMERCE_SERVICES, sendHotCommerceTrace } from './hot-commerce-sdk.js';
export type { HotCommerceSdkOptions } from './hot-commerce-sdk.js';
export {
  BENCH_JOBS,
  BENCH_METRIC,
  BENCH_POINTS,
  BENCH_QUERY,
  BENCH_QUERY_STEP_S,
  BENCH_STEP_MS,
  benchDayEnd,
  counterDay,
  counterLabels,
  counterSamples,
  counterValue,
  quantile,
  timeCounterQuery,
  writeCounterBackfill,
} from './bench-counter-series.js';
export type { CounterDay } from './bench-counter-series.js';
export {
  HOT_COMMERCE_SDK_EDGES,
  expectSdkServiceGraph,
  latestSdkTrace,
  readBackHotCommerceTrace,
  sdkTraceSpans,
} from './hot-commerce-readback.js';
export type { SdkTraceQuery, TraceApiAnswer, TraceApiGet } from './hot-commerce-readback.js';
export {
  CONFORMANCE_DIR_ENV,
  CORPUS_NOT_FOUND_MARKER,
  locateCorpus,
  type CorpusLocation,
} from './conformance-corpus.js';
export { fileEntryFixture } from './file-entry-fixture.js';
