import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prometheusConfig } from './prometheus-config.js';
import { topLevelProtobufFields } from './protobuf-fields.js';
import { telemetrygenArgs } from './telemetrygen.js';
import { SCRIPTS_DIR, testDepsVersions } from './test-deps-versions.js';

describe('pinned test dependencies', () => {
  it('reads the versions from scripts/test-deps-versions.env', () => {
    const { prometheus, otelcol, telemetrygen, mailpit } = testDepsVersions();
    expect(prometheus).toMatch(/^\d+\.\d+$/);
    expect(otelcol).toMatch(/^\d+\.\d+\.\d+$/);
    expect(telemetrygen).toMatch(/^\d+\.\d+\.\d+$/);
    expect(mailpit).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('builds every collector module at the pinned collector release', () => {
    const manifest = readFileSync(`${SCRIPTS_DIR}otelcol/builder-config.yaml`, 'utf8');
    const versions = new Set(
      [...manifest.matchAll(/\bv?(\d+\.\d+\.\d+)\b/g)].map((match) => match[1]),
    );
    expect([...versions]).toEqual([testDepsVersions().otelcol]);
    for (const component of ['otlpreceiver', 'otlphttpexporter', 'otlpexporter', 'debugexporter']) {
      expect(manifest).toContain(`/${component} v${testDepsVersions().otelcol}`);
    }
  });
});

describe('telemetrygenArgs', () => {
  it('passes headers and attributes as key="value" and sends unthrottled by default', () => {
    expect(
      telemetrygenArgs({
        signal: 'metrics',
        endpoint: '127.0.0.1:4318',
        protocol: 'http',
        urlPath: '/api/default/v1/metrics',
        headers: { authorization: 'Basic abc=', 'stream-name': 'k8s' },
        count: 3,
      }),
    ).toEqual([
      'metrics',
      '--otlp-endpoint',
      '127.0.0.1:4318',
      '--otlp-insecure',
      '--metrics',
      '3',
      '--rate',
      '0',
      '--workers',
      '1',
      '--otlp-http',
      '--otlp-http-url-path',
      '/api/default/v1/metrics',
      '--otlp-header',
      'authorization="Basic abc="',
      '--otlp-header',
      'stream-name="k8s"',
    ]);
  });
});

describe('prometheusConfig', () => {
  it('scrapes itself and the given targets, and remote-writes with basic auth and headers', () => {
    const config = JSON.parse(
      prometheusConfig(
        {
          scrapeTargets: [{ job: 'sample', targets: ['127.0.0.1:9'] }],
          remoteWrite: {
            url: 'http://127.0.0.1:5080/api/default/prometheus/api/v1/write',
            basicAuth: { username: 'root@example.com', password: 'pw' },
            headers: { 'stream-name': 'x' },
          },
        },
        '127.0.0.1:9090',
      ),
    ) as Record<string, unknown>;
    expect(config).toMatchObject({
      global: { scrape_interval: '1s' },
      scrape_configs: [
        { job_name: 'prometheus', static_configs: [{ targets: ['127.0.0.1:9090'] }] },
        { job_name: 'sample', static_configs: [{ targets: ['127.0.0.1:9'] }] },
      ],
      remote_write: [
        {
          url: 'http://127.0.0.1:5080/api/default/prometheus/api/v1/write',
          basic_auth: { username: 'root@example.com', password: 'pw' },
          headers: { 'stream-name': 'x' },
        },
      ],
    });
  });
});

describe('topLevelProtobufFields', () => {
  it('counts the top-level fields of a wire-format message', () => {
    // field 1 (bytes, "ab") twice, field 2 varint 300, field 3 fixed32.
    const bytes = Uint8Array.from([
      0x0a, 2, 0x61, 0x62, 0x0a, 0, 0x10, 0xac, 0x02, 0x1d, 1, 2, 3, 4,
    ]);
    expect([...topLevelProtobufFields(bytes)]).toEqual([
      [1, 2],
      [2, 1],
      [3, 1],
    ]);
  });

  it('rejects bytes that are not a message', () => {
    expect(() => topLevelProtobufFields(Uint8Array.from([0x0a, 5, 1]))).toThrow(/past the end/);
    expect(() => topLevelProtobufFields(Buffer.from('{"resourceLogs":[]}'))).toThrow();
  });
});
