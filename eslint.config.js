// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cache/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Production code never runs test support: generators, fixture writers and golden runners live in
    // connectors/testkit, which the build leaves out (tsconfig.build.json).
    files: ['src/**/*.ts', 'connectors/**/*.ts'],
    ignores: ['connectors/testkit/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/testkit/**'], message: 'testkit is test support, not production code' }] },
      ],
    },
  },
  {
    // src/irp is the shared, pure domain: it must not reach into the impure layers.
    files: ['src/irp/**/*.ts'],
    ignores: ['src/irp/client/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/pipeline/**', '**/adapters/**', '**/sandbox/**'], message: 'src/irp is pure' },
            { group: ['kafkajs', 'undici', 'avsc', 'better-sqlite3'], message: 'src/irp is pure' },
            { group: ['**/testkit/**'], message: 'testkit is test support, not production code' },
          ],
        },
      ],
    },
  },
  {
    // The portal's browser modules: plain ES modules served as they are (no build step).
    files: ['src/sandbox/portal/assets/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'navigator',
          'location',
          'fetch',
          'console',
          'setTimeout',
          'clearTimeout',
          'HTMLElement',
          'HTMLInputElement',
          'HTMLSelectElement',
          'HTMLTextAreaElement',
          'HTMLButtonElement',
          'FormData',
          'Node',
          'URL',
          'URLSearchParams',
          'Blob',
          'atob',
          'btoa',
          'TextEncoder',
          'TextDecoder',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['bin/**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
