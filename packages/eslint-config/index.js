// Shared lint rules for every O2TS package: type-checked typescript-eslint plus the
// few rules that catch real bugs in async server code (floating/misused promises,
// non-exhaustive switches) and keep package boundaries honest (no deep imports, and the layer
// rules of layers.js).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layerConfigs } from './layers.js';

export { MAX_PRODUCT_FILE_LINES, layerConfigs, servicePackageNames } from './layers.js';

export function o2Config(tsconfigRootDir) {
  return tseslint.config(
    {
      // Deliberate violations, linted by layers.test.ts under product paths.
      ignores: [
        '**/dist/**',
        '**/node_modules/**',
        '**/*.d.ts',
        '**/coverage/**',
        'data/**',
        'packages/eslint-config/fixtures/**',
      ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        parserOptions: {
          projectService: { allowDefaultProject: ['*.config.ts'] },
          tsconfigRootDir,
        },
      },
      rules: {
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/no-misused-promises': 'error',
        '@typescript-eslint/switch-exhaustiveness-check': 'error',
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-unused-vars': [
          'error',
          { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
        ],
        'no-console': 'error',
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                group: [
                  '@o2/*/src/*',
                  '@o2/*/dist/*',
                  '../../*/src/*',
                  '../../../packages/*',
                  '../../../services/*',
                ],
                message:
                  'Import another package through its public entry (@o2/<name>), never its src/ or dist/.',
              },
            ],
          },
        ],
      },
    },
    {
      files: ['**/*.js', '**/*.mjs'],
      ...tseslint.configs.disableTypeChecked,
      languageOptions: {
        parserOptions: { projectService: false, project: null },
        globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
      },
    },
    {
      files: ['scripts/**', '**/bench/**'],
      rules: { 'no-console': 'off' },
    },
    ...layerConfigs(tsconfigRootDir),
  );
}
