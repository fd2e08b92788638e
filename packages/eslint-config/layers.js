// The layering rules of CONVENTIONS/ARCHITECTURE as lint, so they hold by construction rather
// than by review: roles never import roles (standalone is the composition root), packages never
// import roles, the bottom packages (errors, logger, domain, config) import nothing above them,
// `process.env` is read only where a process starts, and no product file grows past the ratchet.
//
// Flat config replaces (not merges) a rule's options when a later block matches the same file, so
// every `no-restricted-imports` block below repeats the deep-import pattern it must keep.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Today's largest product file (packages/promql/src/parser/cst-to-ast.ts, 395 lines; every
 * product file is now within the 400-line goal). A ratchet: lower it as big files are split;
 * never raise it.
 */
export const MAX_PRODUCT_FILE_LINES = 395;

const TEST_FILES = ['**/*.test.ts', '**/*.bench.ts', '**/test-support/**'];

const sources = (pkgGlob) => [`${pkgGlob}/src/**/*.ts`, `${pkgGlob}/src/**/*.js`];

/** Product source (what the size ratchet covers), and generated code it exempts. */
export const PRODUCT_SOURCES = [...sources('packages/*'), ...sources('services/*')];
export const GENERATED = ['packages/proto/src/gen/**'];

const DEEP_IMPORTS = {
  group: [
    '@o2/*/src/*',
    '@o2/*/dist/*',
    '../../*/src/*',
    '../../../packages/*',
    '../../../services/*',
  ],
  message: 'Import another package through its public entry (@o2/<name>), never its src/ or dist/.',
};

/** Package names of every role under services/ (read from disk so a new role is covered). */
export function servicePackageNames(rootDir) {
  const dir = join(rootDir, 'services');
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const names = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    try {
      const pkg = JSON.parse(readFileSync(join(dir, entry.name, 'package.json'), 'utf8'));
      if (typeof pkg.name === 'string') names.push(pkg.name);
    } catch {
      // A folder without a package.json is not a role.
    }
  }
  return names.sort();
}

function restrictImports(...patterns) {
  return ['error', { patterns: [DEEP_IMPORTS, ...patterns] }];
}

/** Flat-config blocks enforcing the layers; `rootDir` is the repository root. */
export function layerConfigs(rootDir) {
  const services = servicePackageNames(rootDir);
  const noServices = (why) => ({ group: services, message: why });
  const roleImportsRole = noServices(
    'A role never imports another role: share code through a package under packages/, and ' +
      'compose roles only in services/standalone (or e2e/, deploy/).',
  );
  const packageImportsRole = noServices(
    'A package never imports a role (services/*): roles depend on packages, not the reverse.',
  );
  const noTestingInProduct = {
    group: ['@o2/testing'],
    message: '@o2/testing is a dev-only harness: product code must not import it (tests may).',
  };
  const bottom = (pkg, allowed) => ({
    group: ['@o2/*', ...allowed.map((name) => `!${name}`)],
    message:
      `@o2/${pkg} is at the bottom of the layering and may import only ` +
      `${allowed.length === 0 ? 'no @o2 package' : allowed.join(', ')}.`,
  });

  return [
    // Roles (product code): no other role, no test harness. Tests of a role may wire real roles
    // together (router tests drive a real ingester/querier), so they are left out here.
    {
      files: sources('services/*'),
      ignores: [...TEST_FILES, 'services/standalone/**'],
      rules: { 'no-restricted-imports': restrictImports(roleImportsRole, noTestingInProduct) },
    },
    // The composition root may import every role, but not the test harness.
    {
      files: sources('services/standalone'),
      ignores: TEST_FILES,
      rules: { 'no-restricted-imports': restrictImports(noTestingInProduct) },
    },
    // Packages, tests included: never a role.
    {
      files: sources('packages/*'),
      rules: { 'no-restricted-imports': restrictImports(packageImportsRole) },
    },
    {
      files: sources('packages/*'),
      ignores: [...TEST_FILES, '**/bench/**', '**/conformance/**', 'packages/testing/**'],
      rules: {
        'no-restricted-imports': restrictImports(packageImportsRole, noTestingInProduct),
      },
    },
    // The bottom of the layering: everything may import these, they import (almost) nothing.
    ...[
      ['errors', []],
      ['bounded-map', []],
      ['logger', ['@o2/errors']],
      ['domain', ['@o2/errors']],
      // The dashboard document model is pure (no I/O) so the web UI can import it too.
      ['dashboards', ['@o2/errors']],
      // Alert logic (conditions, schedules, templates, SSRF rules) is pure and I/O-free.
      ['alerts', ['@o2/errors', '@o2/domain']],
      ['config', ['@o2/errors', '@o2/domain']],
      // The wire codecs translate to the domain's vocabulary and nothing else.
      ['proto', ['@o2/errors', '@o2/domain']],
      // The VRL engine is a standalone library: pipelines and the router plug it in.
      ['vrl', ['@o2/errors']],
    ].map(([pkg, allowed]) => ({
      files: sources(`packages/${pkg}`),
      ignores: TEST_FILES,
      rules: { 'no-restricted-imports': restrictImports(bottom(pkg, allowed)) },
    })),
    // Config is passed down from main.ts (CONVENTIONS: "Config is passed down, never read from a
    // global"). Process entry points, packages/config and the test/bench/dev harness may read it.
    {
      files: ['**/*.ts', '**/*.js', '**/*.mjs'],
      ignores: [
        '**/main.ts',
        'packages/config/**',
        ...TEST_FILES,
        '**/bench/**',
        // The conformance runner and the test-server harness are dev tooling, not product.
        'packages/promql/src/conformance/**',
        'packages/testing/**',
        'e2e/**',
        'deploy/**',
        '**/scripts/**',
        '*.config.ts',
      ],
      rules: {
        'no-restricted-properties': [
          'error',
          {
            object: 'process',
            property: 'env',
            message:
              'Read the environment only in main.ts (or packages/config): receive config as a parameter.',
          },
        ],
        'no-restricted-syntax': [
          'error',
          {
            selector:
              "ImportDeclaration[source.value=/^(node:)?process$/] > ImportSpecifier[imported.name='env']",
            message:
              'Read the environment only in main.ts (or packages/config): receive config as a parameter.',
          },
        ],
      },
    },
    // Size ratchet for product files (generated proto code and tests are exempt).
    {
      files: PRODUCT_SOURCES,
      ignores: [...TEST_FILES, ...GENERATED],
      rules: { 'max-lines': ['error', { max: MAX_PRODUCT_FILE_LINES }] },
    },
  ];
}
