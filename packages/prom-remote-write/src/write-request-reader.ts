import { fromBinary } from '@bufbuild/protobuf';
import { prometheus } from '@o2/proto';
import { ProtobufReader, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './protobuf-reader.js';
import { isStaleMarker } from './stale-marker.js';

/**
 * A `WriteRequest` (proto/prometheus/remote.proto) in the shape the decoder consumes. Labels
 * and samples — nearly all of a request's bytes — are read by hand (`ProtobufReader`); the rare
 * native histograms and metadata entries go through the generated schemas.
 */
export interface WireLabel {
  name: string;
  value: string;
}

export interface WireSeries {
  labels: WireLabel[];
  /**
   * The samples as two parallel arrays (values, times in ms), not an object per sample: a
   * request carries tens of thousands of samples and each object was garbage a moment later.
   */
  values: number[];
  timestampsMs: number[];
  /**
   * Indexes of the samples that are Prometheus stale markers. A number array keeps one NaN bit
   * pattern for every NaN, so the marker is recognised as it is read (nearly always empty).
   */
  staleMarkers: number[];
  histograms: prometheus.Histogram[];
  /** Exemplars are counted, not decoded: nothing stores them. */
  exemplars: number;
}

export interface WireWriteRequest {
  timeseries: WireSeries[];
  metadata: prometheus.MetricMetadata[];
}

// Field numbers of proto/prometheus/*.proto.
const REQUEST_TIMESERIES = 1;
const REQUEST_METADATA = 3;
const SERIES_LABELS = 1;
const SERIES_SAMPLES = 2;
const SERIES_EXEMPLARS = 3;
const SERIES_HISTOGRAMS = 4;
const PAIR_FIRST = 1;
const PAIR_SECOND = 2;

function readLabel(reader: ProtobufReader): WireLabel {
  const end = reader.enter();
  let name = '';
  let value = '';
  while (reader.pos < end) {
    const [field, wireType] = reader.tag();
    if (field === PAIR_FIRST && wireType === WIRE_LEN) name = reader.string();
    else if (field === PAIR_SECOND && wireType === WIRE_LEN) value = reader.string();
    else reader.skip(wireType);
  }
  reader.leave(end);
  return { name, value };
}

function readSample(reader: ProtobufReader, series: WireSeries): void {
  const end = reader.enter();
  let value = 0;
  let timestampMs = 0;
  while (reader.pos < end) {
    const tag = reader.varint();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === PAIR_FIRST && wireType === WIRE_FIXED64) value = reader.double();
    else if (field === PAIR_SECOND && wireType === WIRE_VARINT) timestampMs = reader.varint();
    else reader.skip(wireType);
  }
  reader.leave(end);
  if (Number.isNaN(value) && isStaleMarker(value)) series.staleMarkers.push(series.values.length);
  series.values.push(value);
  series.timestampsMs.push(timestampMs);
}

function readSeries(reader: ProtobufReader): WireSeries {
  const end = reader.enter();
  const series: WireSeries = {
    labels: [],
    values: [],
    timestampsMs: [],
    staleMarkers: [],
    histograms: [],
    exemplars: 0,
  };
  while (reader.pos < end) {
    const [field, wireType] = reader.tag();
    if (wireType !== WIRE_LEN) reader.skip(wireType);
    else if (field === SERIES_LABELS) series.labels.push(readLabel(reader));
    else if (field === SERIES_SAMPLES) readSample(reader, series);
    else if (field === SERIES_HISTOGRAMS)
      series.histograms.push(fromBinary(prometheus.HistogramSchema, reader.lengthDelimited()));
    else {
      if (field === SERIES_EXEMPLARS) series.exemplars++;
      reader.skip(wireType);
    }
  }
  reader.leave(end);
  return series;
}

/**
 * Reads an uncompressed `WriteRequest`. Unknown fields are skipped, as any protobuf reader
 * does; truncated or inconsistent bytes throw INVALID_ARGUMENT (400).
 */
export function readWireWriteRequest(bytes: Uint8Array): WireWriteRequest {
  const reader = new ProtobufReader(bytes);
  const request: WireWriteRequest = { timeseries: [], metadata: [] };
  while (!reader.done) {
    const [field, wireType] = reader.tag();
    if (field === REQUEST_TIMESERIES && wireType === WIRE_LEN)
      request.timeseries.push(readSeries(reader));
    else if (field === REQUEST_METADATA && wireType === WIRE_LEN)
      request.metadata.push(fromBinary(prometheus.MetricMetadataSchema, reader.lengthDelimited()));
    else reader.skip(wireType);
  }
  return request;
}
