import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { RequestHandler } from 'express';
import { ORG_LESS_API_SEGMENTS } from '../http/api-path.js';
import { pathParam } from '../http/path-param.js';
import type { RouteDeps } from './route-deps.js';

export const ELASTIC_PRODUCT_HEADER = 'X-Elastic-Product';

const DEFAULT_ES_VERSION = '7.17.1';
/** Clients and shippers whose User-Agent carries the Elasticsearch/OpenSearch version they expect. */
const VERSIONED_AGENT =
  /\b(elastic(?:search)?[\w-]*|opensearch[\w-]*|[\w-]*beat)\/(\d+\.\d+\.\d+)/i;
const ISSUE_DATE_MS = Date.UTC(2022, 0, 1);

/**
 * The version to claim: Elasticsearch clients refuse a server older than themselves, so echo
 * the version a known client or Beat announces; anything else (Vector, Fluent Bit, curl) gets
 * 7.17.1, which every 7.x/8.x shipper accepts.
 */
export function esVersionFor(userAgent: string | undefined): {
  number: string;
  distribution?: 'opensearch';
} {
  const match = VERSIONED_AGENT.exec(userAgent ?? '');
  const product = match?.[1];
  const number = match?.[2];
  if (product === undefined || number === undefined) return { number: DEFAULT_ES_VERSION };
  return product.toLowerCase().startsWith('opensearch')
    ? { number, distribution: 'opensearch' }
    : { number };
}

/** A stable UUID-shaped id per cluster name, so clients that cache it see the same one. */
function clusterUuid(clusterName: string): string {
  const hex = createHash('sha256').update(`o2ts-cluster:${clusterName}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const elasticProduct: RequestHandler = (_req, res, next) => {
  res.set(ELASTIC_PRODUCT_HEADER, 'Elasticsearch');
  next();
};

const acknowledged: RequestHandler = (_req, res) => {
  res.json({ acknowledged: true });
};

/**
 * Elasticsearch handshake stubs under `/api/{org}/`: the info root, `_license`, `_xpack`, and
 * ILM policy / index template / data stream / ingest pipeline look-ups, answered with canned but
 * plausible bodies so ES clients, Filebeat, Fluent Bit and Vector connect and go on to `_bulk`.
 * Nothing is stored: these are handshakes, not features.
 */
export function esCompatRoutes(deps: RouteDeps): Router {
  const { config } = deps;
  const router = Router();
  const uuid = clusterUuid(config.ZO_CLUSTER_NAME);

  router.get('/:org', (req, res, next) => {
    if (ORG_LESS_API_SEGMENTS.has(pathParam(req.params, 'org'))) {
      next();
      return;
    }
    res.set(ELASTIC_PRODUCT_HEADER, 'Elasticsearch');
    const { number, distribution } = esVersionFor(req.headers['user-agent']);
    res.json({
      name: config.ZO_INSTANCE_NAME,
      cluster_name: config.ZO_CLUSTER_NAME,
      cluster_uuid: uuid,
      version: {
        ...(distribution === undefined ? {} : { distribution }),
        number,
        build_flavor: 'default',
        build_type: 'docker',
        build_hash: '',
        build_date: '2022-02-23T22:20:54.153567231Z',
        build_snapshot: false,
        lucene_version: '8.11.1',
        minimum_wire_compatibility_version: '6.8.0',
        minimum_index_compatibility_version: '6.0.0-beta1',
      },
      tagline: 'You Know, for Search',
    });
  });

  router.get('/:org/_license', elasticProduct, (_req, res) => {
    res.json({
      license: {
        status: 'active',
        uid: uuid,
        type: 'basic',
        issue_date: new Date(ISSUE_DATE_MS).toISOString(),
        issue_date_in_millis: ISSUE_DATE_MS,
        max_nodes: 1000,
        issued_to: config.ZO_CLUSTER_NAME,
        issuer: 'elasticsearch',
        start_date_in_millis: -1,
      },
    });
  });

  router.get('/:org/_xpack', elasticProduct, (_req, res) => {
    // No ILM feature is advertised, so Beats skip ILM set-up instead of managing aliases.
    res.json({
      build: { hash: '', date: '' },
      license: { uid: uuid, type: 'basic', mode: 'basic', status: 'active' },
      features: {},
    });
  });

  const lookups: Array<[string, (name: string) => unknown]> = [
    [
      '/:org/_ilm/policy/:name',
      (name) => ({
        [name]: {
          version: 1,
          modified_date: new Date(ISSUE_DATE_MS).toISOString(),
          policy: { phases: { hot: { min_age: '0ms', actions: {} } } },
        },
      }),
    ],
    [
      '/:org/_index_template/:name',
      (name) => ({
        index_templates: [
          {
            name,
            index_template: {
              index_patterns: [`${name}*`],
              template: { settings: {}, mappings: {} },
              composed_of: [],
            },
          },
        ],
      }),
    ],
    [
      '/:org/_data_stream/:name',
      (name) => ({
        data_streams: [
          {
            name,
            timestamp_field: { name: '@timestamp' },
            indices: [],
            generation: 1,
            status: 'GREEN',
            template: name,
            hidden: false,
            system: false,
          },
        ],
      }),
    ],
    ['/:org/_ingest/pipeline/:name', (name) => ({ [name]: { description: '', processors: [] } })],
  ];
  for (const [path, body] of lookups) {
    router.get(path, elasticProduct, (req, res) => {
      res.json(body(pathParam(req.params, 'name')));
    });
    router.post(path, elasticProduct, acknowledged);
    router.put(path, elasticProduct, acknowledged);
  }

  return router;
}
