import type { IngestFormat, IngestRequest } from '@o2/domain';
import { OTLP_FORMATS, isOtlpFormat } from '@o2/domain';
import { AppError } from '@o2/errors';
import type { PromMetadata } from '@o2/metrics';
import {
  logsToDocuments,
  metricsJsonToDocuments,
  metricsToDocuments,
  tracesToDocuments,
} from '@o2/otlp';
import type { DecodedOtlp } from '@o2/otlp';
import type { RawDocument } from './decode-body.js';
import { remoteWriteDocuments } from './decode-remote-write.js';
import type { LiveRemoteWrite, RemoteWriteSettings } from './decode-remote-write.js';

/** The formats whose body is telemetry (OTLP, metric samples), not log documents. */
export type TelemetryFormat = Exclude<IngestFormat, 'json' | 'multi' | 'bulk'>;

export function isTelemetryFormat(format: IngestFormat): format is TelemetryFormat {
  return format !== 'json' && format !== 'multi' && format !== 'bulk';
}

export interface DecodedTelemetry {
  docs: RawDocument[];
  /** `prom_metadata` per metric stream written. */
  metadata?: Map<string, PromMetadata>;
  /** False for metrics: no ingest window. */
  checkWindow: boolean;
}

function decode(
  body: Uint8Array,
  format: TelemetryFormat,
  nowMicros: number,
  stream: string,
): DecodedOtlp {
  if (isOtlpFormat(format)) {
    const { signal, encoding } = OTLP_FORMATS[format];
    switch (signal) {
      case 'logs':
        return logsToDocuments(body, encoding, nowMicros);
      case 'metrics':
        return metricsToDocuments(body, encoding, nowMicros);
      case 'traces':
        return tracesToDocuments(body, encoding, nowMicros, stream);
    }
  }
  if (format === 'metrics_json') return metricsJsonToDocuments(body, nowMicros);
  throw AppError.invalidArgument(`ingest format ${format} is not supported by this ingester`);
}

/**
 * A telemetry body → the documents the ingest pipeline normalises, in a fixed order (the WAL
 * replays by document index). Whole-request problems (a body that is not the message) throw
 * INVALID_ARGUMENT; a bad item (a span with a short id, a metric without points) is a
 * document with its error.
 */
export function decodeTelemetry(
  request: Pick<IngestRequest, 'body' | 'org'>,
  format: TelemetryFormat,
  nowMicros: number,
  /** The request's (normalised) stream, which traces fall back to for `service_name`. */
  stream = 'default',
  remoteWrite?: { settings: RemoteWriteSettings; live: LiveRemoteWrite | undefined },
): DecodedTelemetry {
  if (format === 'prom_remote_write') {
    if (remoteWrite === undefined)
      throw AppError.internal('remote write decoding needs its settings');
    const { docs, metadata } = remoteWriteDocuments(
      request.body,
      request.org,
      remoteWrite.settings,
      remoteWrite.live,
    );
    // Metrics have no ingest window: a Prometheus catching up after an outage sends old samples.
    return { docs, metadata, checkWindow: false };
  }
  const decoded = decode(request.body, format, nowMicros, stream);
  const docs = decoded.documents.map((d): RawDocument => {
    const doc: RawDocument = { value: d.record };
    if (d.stream !== undefined) doc.stream = d.stream;
    if (d.error !== undefined) doc.error = d.error;
    return doc;
  });
  return {
    docs,
    ...(decoded.metadata === undefined ? {} : { metadata: decoded.metadata }),
    checkWindow: decoded.checkWindow,
  };
}
