import { createRequire } from 'node:module';
import type { Config } from '@o2/config';
import { DEFAULT_FTS_FIELDS, META_ORG } from '@o2/domain';

/** Our own version, from this package's package.json (one level above src/ and dist/). */
export function routerVersion(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** O2's `DEFAULT_FUNCTIONS` (name, editor snippet). */
const DEFAULT_FUNCTIONS: ReadonlyArray<readonly [string, string]> = [
  ['match_all_raw', "match_all_raw('v')"],
  ['match_all_raw_ignore_case', "match_all_raw_ignore_case('v')"],
  ['match_all', "match_all('v')"],
  ['fuzzy_match_all', "fuzzy_match_all('v', 1)"],
  ['str_match', "str_match(field, 'v')"],
  ['str_match_ignore_case', "str_match_ignore_case(field, 'v')"],
  ['fuzzy_match', "fuzzy_match(field, 'v', 1)"],
  ['re_match', "re_match(field, 'pattern')"],
  ['re_not_match', "re_not_match(field, 'pattern')"],
  ['re_matches', "re_matches(field, 'pattern')"],
  ['cast_to_timestamp', "cast_to_timestamp('pattern')"],
];

/**
 * The body of `GET /config`, which the O2 UI reads before it boots. Keys are O2's; every
 * feature we do not have is reported off rather than left out, so the UI hides it instead of
 * failing on a missing key.
 */
export function serverConfigBody(config: Config, version: string): Record<string, unknown> {
  return {
    version,
    instance: config.ZO_INSTANCE_NAME,
    commit_hash: '',
    build_date: '',
    build_type: 'opensource',
    default_fts_keys: DEFAULT_FTS_FIELDS,
    default_secondary_index_fields: [],
    default_quick_mode_fields: [],
    telemetry_enabled: false,
    // O2's ZoFunction snippets the UI offers in its editor; every one is answered here.
    default_functions: DEFAULT_FUNCTIONS.map(([name, text]) => ({ name, text })),
    sql_reserved_keywords: [],
    sql_base64_enabled: false,
    timestamp_column: '_timestamp',
    restricted_routes_on_empty_data: false,
    sso_enabled: false,
    native_login_enabled: true,
    service_account_enabled: false,
    rbac_enabled: false,
    super_cluster_enabled: false,
    custom_logo_text: '',
    custom_slack_url: '',
    custom_docs_url: '',
    custom_hide_menus: '',
    custom_hide_self_logo: false,
    rum: {
      enabled: false,
      client_token: '',
      application_id: '',
      site: '',
      service: '',
      env: '',
      version: '',
      organization_identifier: '',
      api_version: '',
      insecure_http: false,
    },
    meta_org: META_ORG,
    quick_mode_enabled: false,
    user_defined_schemas_enabled: false,
    usage_enabled: false,
    ingestion_url: '',
    web_url: config.ZO_WEB_URL,
    query_default_limit: config.ZO_QUERY_DEFAULT_LIMIT,
    dashboard_placeholder: config.ZO_DASHBOARD_PLACEHOLDER,
    actions_enabled: false,
    // `_search_stream` and `_values_stream` exist: the UI may stream.
    streaming_enabled: true,
    ai_enabled: false,
    incidents_enabled: false,
    service_streams_enabled: false,
    model_pricing_enabled: false,
    online_evals_enabled: false,
    anomaly_detection_enabled: false,
    synthetics_enabled: false,
    ingest_flatten_level: config.ZO_INGEST_FLATTEN_LEVEL,
  };
}
