import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ensureTool } from './ensure-tool.js';
import type { ToolSpec } from './ensure-tool.js';
import { TOOL_CACHE_BIN } from './ensure-tool.js';
import { SCRIPTS_DIR, testDepsVersions } from './test-deps-versions.js';

// Where each third-party client the tests run comes from. Prometheus is Debian's build (its
// absolute path first, so another prometheus on PATH can't stand in for the pinned one); the
// Go-built tools carry their version in the cached file name, so a bumped pin rebuilds them.

const PROMETHEUS: ToolSpec = {
  name: 'prometheus',
  candidates: ['/usr/bin/prometheus'],
  install: { kind: 'apt', packages: ['prometheus'] },
};

const PROMTOOL: ToolSpec = {
  name: 'promtool',
  candidates: ['/usr/bin/promtool'],
  install: { kind: 'apt', packages: ['prometheus'] },
};

/** Debian's `prometheus` binary, installed with apt when missing. */
export function prometheusBinary(): string {
  return ensureTool(PROMETHEUS);
}

/** Debian's `promtool` (same package as prometheus). */
export function promtoolBinary(): string {
  return ensureTool(PROMTOOL);
}

/** The collector built from scripts/otelcol/builder-config.yaml at the pinned release. */
export function otelCollectorBinary(): string {
  const name = `otelcol-o2ts-${testDepsVersions().otelcol}`;
  return ensureTool({
    name,
    candidates: [`${TOOL_CACHE_BIN}/${name}`],
    install: { kind: 'script' },
  });
}

/** contrib's telemetrygen at the pinned release. */
export function telemetrygenBinary(): string {
  const name = `telemetrygen-${testDepsVersions().telemetrygen}`;
  return ensureTool({
    name,
    candidates: [`${TOOL_CACHE_BIN}/${name}`],
    install: { kind: 'script' },
  });
}

/** helm v3 at the pinned release (`go install`ed by scripts/ensure-test-deps.sh). */
export function helmBinary(): string {
  const name = `helm-${testDepsVersions().helm}`;
  return ensureTool({
    name,
    candidates: [`${TOOL_CACHE_BIN}/${name}`],
    install: { kind: 'script' },
  });
}

/** Mailpit (an SMTP server with an HTTP API) at the pinned release. */
export function mailpitBinary(): string {
  const name = `mailpit-${testDepsVersions().mailpit}`;
  return ensureTool({
    name,
    candidates: [`${TOOL_CACHE_BIN}/${name}`],
    install: { kind: 'script' },
  });
}

/**
 * scripts/k8s-strict, built by scripts/ensure-test-deps.sh under a name carrying the k8s.io
 * release and a hash of its source (main.go, go.mod, go.sum), the same hash computed here.
 */
export function k8sStrictBinary(): string {
  const dir = `${SCRIPTS_DIR}k8s-strict/`;
  const source = ['main.go', 'go.mod', 'go.sum'].map((f) => readFileSync(`${dir}${f}`));
  const hash = createHash('sha256').update(Buffer.concat(source)).digest('hex').slice(0, 12);
  const name = `k8s-strict-${testDepsVersions().k8sApi}-${hash}`;
  return ensureTool({
    name,
    candidates: [`${TOOL_CACHE_BIN}/${name}`],
    install: { kind: 'script' },
  });
}

/**
 * VictoriaLogs at the pinned release, `go install`ed on first use (`pnpm bench:vs-victorialogs`
 * only: the test install path never builds it).
 */
export function victoriaLogsBinary(): string {
  const version = testDepsVersions().victoriaLogs;
  const name = `victoria-logs-${version}`;
  return ensureTool({
    name,
    candidates: [`${TOOL_CACHE_BIN}/${name}`],
    install: {
      kind: 'go',
      module: `github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@v${version}`,
    },
  });
}
