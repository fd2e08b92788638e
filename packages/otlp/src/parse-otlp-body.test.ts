import { ExportTraceServiceRequestSchema } from '@o2/proto';
import { describe, expect, it } from 'vitest';
import { parseOtlpBody } from './parse-otlp-body.js';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const parse = (value: unknown) =>
  parseOtlpBody(ExportTraceServiceRequestSchema, encode(value), 'json');

describe('OTLP/JSON mapping', () => {
  it('reads hex ids, int64 as string or number, enums as numbers or names, both field spellings', () => {
    const request = parse({
      resource_spans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  span_id: 'eee19b7ec3c1b174',
                  kind: 'SPAN_KIND_SERVER',
                  startTimeUnixNano: 1700000000000000000,
                  end_time_unix_nano: '1700000000000000001',
                  unknownField: true,
                },
                { kind: 3, status: { code: 'STATUS_CODE_ERROR' } },
              ],
            },
          ],
        },
      ],
    });
    const [first, second] = request.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(Buffer.from(first?.traceId ?? []).toString('hex')).toBe(
      '5b8efff798038103d269b633813fc60c',
    );
    expect(Buffer.from(first?.spanId ?? []).toString('hex')).toBe('eee19b7ec3c1b174');
    expect([first?.kind, second?.kind, second?.status?.code]).toEqual([2, 3, 2]);
    expect(first?.endTimeUnixNano).toBe(1700000000000000001n);
  });

  it('names the message and the problem for a body of the wrong shape', () => {
    expect(() => parse([])).toThrow(
      'Invalid OTLP JSON ExportTraceServiceRequest: expected an object',
    );
    expect(() => parse({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 5 }] }] }] })).toThrow(
      /Invalid OTLP JSON ExportTraceServiceRequest: .*name/,
    );
  });
});
