// The Prometheus remote-write messages, kept apart under one namespace in the index: their
// names (Histogram, Exemplar, Label, Sample…) are generic and would collide with the OTLP and
// internal message types re-exported beside them.
export * from './gen/prometheus/types_pb.js';
export * from './gen/prometheus/remote_pb.js';
