import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Link, Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export const HOT_COMMERCE_SERVICES = ['frontend', 'shop', 'product', 'review', 'price'] as const;
type Service = (typeof HOT_COMMERCE_SERVICES)[number];

export interface HotCommerceSdkOptions {
  /** The O2 org's OTLP base, e.g. `http://127.0.0.1:5080/api/default`. */
  orgUrl: string;
  /** The `Authorization` header value. */
  authorization: string;
  /** The `stream-name` header. */
  stream: string;
  /** The trace's start, ms since the epoch. */
  t0: number;
}

/**
 * Sends one HOT Commerce trace with the OpenTelemetry JS SDK, unmodified (one tracer provider per
 * service, the http/protobuf exporter): frontend → shop → product → {review, price}, nine spans
 * over 100 ms, the price service's server span ERROR and a `cache miss` event on the review
 * service's, which also links to the price quote it was fetched beside (`link.reason`).
 * Resolves with the trace id once every exporter has flushed.
 */
export async function sendHotCommerceTrace(options: HotCommerceSdkOptions): Promise<string> {
  const { t0 } = options;
  const providers = new Map<Service, BasicTracerProvider>(
    HOT_COMMERCE_SERVICES.map((service) => [
      service,
      new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        spanProcessors: [
          new SimpleSpanProcessor(
            new OTLPTraceExporter({
              url: `${options.orgUrl}/v1/traces`,
              headers: { Authorization: options.authorization, 'stream-name': options.stream },
            }),
          ),
        ],
      }),
    ]),
  );
  const span = (
    service: Service,
    name: string,
    kind: SpanKind,
    [from, to]: [number, number],
    parent: Span | undefined,
    finish: (s: Span) => void = () => undefined,
    links: Link[] = [],
  ): Span => {
    const tracer = providers.get(service)?.getTracer(`${service}-instrumentation`);
    if (tracer === undefined) throw new Error(`no provider for ${service}`);
    const ctx = parent === undefined ? context.active() : trace.setSpan(context.active(), parent);
    const s = tracer.startSpan(name, { kind, startTime: t0 + from, links }, ctx);
    finish(s);
    s.end(t0 + to);
    return s;
  };
  const root = span('frontend', 'GET /product/{id}', SpanKind.SERVER, [0, 100], undefined);
  const toShop = span('frontend', 'GET shop', SpanKind.CLIENT, [5, 95], root);
  const shop = span('shop', 'GET /shop/product', SpanKind.SERVER, [10, 90], toShop);
  const toProduct = span('shop', 'GET product', SpanKind.CLIENT, [15, 85], shop);
  const product = span('product', 'GetProduct', SpanKind.SERVER, [20, 80], toProduct);
  const toReview = span('product', 'GetReviews', SpanKind.CLIENT, [25, 45], product);
  const toPrice = span('product', 'GetPrice', SpanKind.CLIENT, [50, 75], product);
  const quote = span('price', 'Quote', SpanKind.SERVER, [52, 70], toPrice, (s) => {
    s.setStatus({ code: SpanStatusCode.ERROR, message: 'currency service down' });
  });
  span(
    'review',
    'ListReviews',
    SpanKind.SERVER,
    [28, 42],
    toReview,
    (s) => {
      s.addEvent('cache miss', { key: 'reviews:42' }, t0 + 30);
    },
    [{ context: quote.spanContext(), attributes: { 'link.reason': 'priced together' } }],
  );
  for (const provider of providers.values()) {
    await provider.forceFlush();
    await provider.shutdown();
  }
  return root.spanContext().traceId;
}
