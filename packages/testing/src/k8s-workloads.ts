import type { SeededRandom } from './seeded-random.js';

/**
 * The made-up cluster the k8s log generator samples from: six workloads, each with its own
 * namespace, image, labels and log format, like a fluent-bit pipeline would collect. The formats
 * are chosen to exercise search: plain text access logs, logfmt, JSON-in-a-string, klog, and one
 * structured workload whose records carry `code`, `method`, `took`, `level` and `message`
 * instead of `log`. Error lines use every case (`error`, `Error`, `ERROR`).
 */

export interface LineContext {
  rng: SeededRandom;
  /** Milliseconds since the epoch that the line's own text reports. */
  timeMs: number;
  pod: string;
}

/** What a container wrote: either a raw `log` line or the fields of a structured record. */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  log?: string;
  message?: string;
  level?: string;
  code?: number;
  method?: string;
  took?: number;
}

export interface Workload {
  namespace: string;
  container: string;
  /** `repository:tag`. */
  image: string;
  /** Share of the records. */
  weight: number;
  kind: 'deployment' | 'statefulset';
  replicas: number;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  /** Records of this workload leave absent fields out instead of writing them as null. */
  omitsNulls?: boolean;
  line(ctx: LineContext): LogLine;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const ip = (rng: SeededRandom): string =>
  `10.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function clfTime(ms: number): string {
  const d = new Date(ms);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
}

function klogTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${d.toISOString().slice(11, 23)}000`;
}

const EDGE_PATHS = ['/healthz', '/api/v2/catalog', '/api/v2/carts', '/static/app.js', '/login'];
const AGENTS = [
  'curl/8.5.0',
  'Mozilla/5.0 (X11; Linux x86_64)',
  'kube-probe/1.29',
  'Go-http-client/2.0',
];

const edgeProxy: Workload = {
  namespace: 'edge',
  container: 'edge-proxy',
  image: 'registry.example.test/platform/edge-proxy:1.9.4',
  weight: 29,
  kind: 'deployment',
  replicas: 3,
  labels: {
    'app.kubernetes.io/name': 'edge-proxy',
    'app.kubernetes.io/component': 'gateway',
    'app.kubernetes.io/instance': 'edge',
  },
  annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9113' },
  line: ({ rng, timeMs }) => {
    const roll = rng.next();
    if (roll < 0.06) {
      const stamp = iso(timeMs).slice(0, 19).replace('T', ' ').replaceAll('-', '/');
      return {
        stream: 'stderr',
        log: `${stamp} [error] 31#31: *${rng.int(1000, 99999)} upstream timed out (110: Connection timed out) while reading response header from upstream, client: ${ip(rng)}, request: "GET ${rng.pick(EDGE_PATHS)} HTTP/1.1"`,
      };
    }
    if (roll < 0.14) {
      return {
        stream: 'stderr',
        log: `${iso(timeMs)} [warn] client ${ip(rng)} sent a request body larger than the buffer; spooled to a temporary file`,
      };
    }
    const method = rng.weighted([
      ['GET', 8],
      ['POST', 3],
      ['PUT', 1],
    ] as const);
    const status = rng.weighted([
      [200, 30],
      [304, 3],
      [404, 3],
      [502, 1],
    ] as const);
    return {
      stream: 'stdout',
      log: `${ip(rng)} - - [${clfTime(timeMs)}] "${method} ${rng.pick(EDGE_PATHS)} HTTP/1.1" ${status} ${rng.int(80, 48_000)} "-" "${rng.pick(AGENTS)}" ${rng.int(1, 900) / 1000}`,
    };
  },
};

const CART_ROUTES = [
  '/api/v2/carts/{id}/items',
  '/api/v2/orders',
  '/api/v2/orders/{id}',
  '/api/v2/payments',
];
const CUSTOMERS = ['ana', 'björn', 'zoë', 'li.wei', 'omar', 'renée'];

const checkoutApi: Workload = {
  namespace: 'shop',
  container: 'checkout-api',
  image: 'registry.example.test/shop/checkout-api:2.4.0',
  weight: 19,
  kind: 'deployment',
  replicas: 2,
  labels: { app: 'checkout-api', tier: 'backend' },
  annotations: {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '8080',
    'prometheus.io/path': '/metrics',
  },
  line: ({ rng }) => {
    const method = rng.weighted([
      ['GET', 5],
      ['POST', 9],
      ['DELETE', 1],
    ] as const);
    const code = rng.weighted([
      [200, 70],
      [201, 9],
      [204, 4],
      [400, 4],
      [404, 5],
      [409, 2],
      [500, 3],
      [503, 3],
    ] as const);
    const route = rng.pick(CART_ROUTES).replace('{id}', rng.chars(8));
    const customer = rng.pick(CUSTOMERS);
    const took = code >= 500 ? rng.int(900, 30_000) : rng.int(1, 600);
    if (code >= 500) {
      return {
        stream: 'stderr',
        level: 'error',
        code,
        method,
        took,
        message: `${method} ${route} failed for customer=${customer}: Error: payment provider answered ${code}`,
      };
    }
    return {
      stream: 'stdout',
      level: code >= 400 ? 'warn' : 'info',
      code,
      method,
      took,
      message: `${method} ${route} customer=${customer}`,
    };
  },
};

const SEARCH_QUERIES = ['red shoes', 'crème brûlée', 'usb-c hub', '日本茶', 'garden hose'];

const indexer: Workload = {
  namespace: 'search',
  container: 'indexer',
  image: 'registry.example.test/search/indexer:0.31.2',
  weight: 28,
  kind: 'statefulset',
  replicas: 3,
  labels: {
    'app.kubernetes.io/name': 'indexer',
    'app.kubernetes.io/instance': 'search',
    'app.kubernetes.io/component': 'storage',
  },
  annotations: {},
  line: ({ rng, timeMs }) => {
    const roll = rng.next();
    const head = `{"time":"${iso(timeMs)}"`;
    if (roll < 0.05) {
      return {
        stream: 'stderr',
        log: `${head},"level":"ERROR","target":"indexer::merge","msg":"merge of segment ${rng.int(1, 9999)} aborted","cause":"disk quota exceeded"}`,
      };
    }
    if (roll < 0.35) {
      return {
        stream: 'stderr',
        log: `${head},"level":"INFO","target":"indexer::query","msg":"query served","q":"${rng.pick(SEARCH_QUERIES)}","took_ms":${rng.int(1, 250)}}`,
      };
    }
    return {
      stream: 'stderr',
      log: `${head},"level":"INFO","target":"indexer::wal","msg":"segment sealed","segment":${rng.int(1, 9999)},"rows":${rng.int(100, 90_000)}}`,
    };
  },
};

const snapshotter: Workload = {
  namespace: 'backup',
  container: 'snapshotter',
  image: 'registry.example.test/ops/snapshotter:1.12.0',
  weight: 21,
  kind: 'deployment',
  replicas: 1,
  labels: { app: 'snapshotter', component: 'controller', tier: 'ops' },
  annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8085' },
  line: ({ rng, timeMs }) => {
    const roll = rng.next();
    const at = `time="${iso(timeMs)}"`;
    if (roll < 0.06) {
      return {
        stream: 'stdout',
        log: `${at} level=error msg="Error listing snapshots" error="rpc error: code = Unavailable desc = connection refused" source="internal/snap/lister.go:88"`,
      };
    }
    if (roll < 0.5) {
      return {
        stream: 'stdout',
        log: `${at} level=info msg="snapshot completed" snapshot=snap-${rng.chars(10)} volume=pvc-${rng.uuid()} source="internal/snap/runner.go:211"`,
      };
    }
    return {
      stream: 'stdout',
      log: `${at} level=info msg="checking schedule" schedule=nightly next="${iso(timeMs + 3_600_000)}" source="internal/schedule/tick.go:42"`,
    };
  },
};

const metricsAgent: Workload = {
  namespace: 'monitoring',
  container: 'metrics-agent',
  image: 'registry.example.test/observability/metrics-agent:3.1.0',
  weight: 2.5,
  kind: 'statefulset',
  replicas: 2,
  labels: {
    'app.kubernetes.io/name': 'metrics-agent',
    'app.kubernetes.io/part-of': 'observability',
    'app.kubernetes.io/version': '3.1.0',
    'app.kubernetes.io/managed-by': 'agent-operator',
  },
  annotations: { 'kubectl.kubernetes.io/default-container': 'metrics-agent' },
  line: ({ rng, timeMs }) => {
    if (rng.chance(0.7)) {
      const kind = rng.pick(['Pod', 'Service', 'Endpoints']);
      return {
        stream: 'stderr',
        log: `ts=${iso(timeMs)} caller=watcher.go:87 level=warn component=discovery msg="failed to watch *v1.${kind}: ${kind.toLowerCase()} is forbidden for the agent's service account"`,
      };
    }
    return {
      stream: 'stderr',
      log: `ts=${iso(timeMs)} caller=scrape.go:1402 level=info component=scrape msg="scrape pool reloaded" targets=${rng.int(3, 40)}`,
    };
  },
};

const provisioner: Workload = {
  namespace: 'kube-system',
  container: 'volume-provisioner',
  image: 'registry.example.test/storage/volume-provisioner:5.0.1',
  weight: 0.5,
  kind: 'deployment',
  replicas: 1,
  labels: { app: 'volume-provisioner' },
  annotations: {},
  omitsNulls: true,
  line: ({ rng, timeMs }) =>
    rng.chance(0.5)
      ? {
          stream: 'stderr',
          log: `E${klogTime(timeMs)}       1 provision.go:512] provisioning "shop/data-${rng.int(0, 3)}" failed: rpc error: code = DeadlineExceeded desc = context deadline exceeded`,
        }
      : {
          stream: 'stderr',
          log: `I${klogTime(timeMs)}       1 provision.go:430] "volume provisioned" claim="shop/data-${rng.int(0, 3)}"`,
        },
};

export const WORKLOADS: readonly Workload[] = [
  edgeProxy,
  checkoutApi,
  indexer,
  snapshotter,
  metricsAgent,
  provisioner,
];

export const NODE_HOSTS: readonly string[] = [
  'pool-a-1.nodes.example.internal',
  'pool-a-2.nodes.example.internal',
  'pool-b-1.nodes.example.internal',
  'pool-b-2.nodes.example.internal',
];
