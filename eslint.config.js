// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * Layering, checked by machine (the rules of the house in ARCHITECTURE.md):
 *   renderer -> shared <- main;  inside main: core imports only shared;
 *   adapters (market, store, inference, broker) import core and shared;
 *   only src/main/index.ts imports electron.
 * The pure layers also compile under tsconfig.layers.json (no DOM, no Node types).
 */
const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'worker_threads',
];

/** @param {string[]} patterns @param {string} message */
const forbid = (patterns, message) => ({ group: patterns, message });

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'scripts/*.d.mts',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', 'bin/*.mjs', 'scripts/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  // ---- the contract imports nothing of ours and no runtime ----
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              ['**/main/**', '**/renderer/**', '**/preload/**'],
              'src/shared is the contract: it imports nothing of ours.',
            ),
            forbid(
              [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws', 'react', 'react-dom'],
              'src/shared runs in every process: no runtime-specific imports.',
            ),
          ],
        },
      ],
    },
  },
  // ---- core: pure logic, no I/O, no clocks, no randomness ----
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              [
                '../market/**',
                '../store/**',
                '../inference/**',
                '../broker/**',
                '../training/**',
                '../transport/**',
                '../engine*',
                '../cli*',
                '../index*',
                '**/renderer/**',
                '**/preload/**',
              ],
              'core imports only shared (and itself).',
            ),
            forbid(
              [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws', 'onnxruntime-node'],
              'core has no I/O.',
            ),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is an input: take timestamps from events.' },
        { object: 'Math', property: 'random', message: 'Use the seeded generator passed in.' },
        { object: 'performance', property: 'now', message: 'Time is an input: take timestamps from events.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time is an input: no wall clock in core.',
        },
      ],
    },
  },
  // ---- adapters do not reach up into the engine, transport or entries ----
  {
    files: ['src/main/{market,store,inference,broker,training}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              ['../engine*', '../transport/**', '../cli*', '../index*', '**/renderer/**', '**/preload/**'],
              'Adapters import core and shared only; the engine wires them.',
            ),
            forbid(['electron'], 'Only src/main/index.ts imports electron.'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/*.ts', 'src/main/transport/**/*.ts'],
    ignores: ['src/main/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['electron'], 'Only src/main/index.ts imports electron.'),
            forbid(['**/renderer/**', '**/preload/**'], 'main never imports the renderer or preload.'),
          ],
        },
      ],
    },
  },
  // ---- renderer: a client of the contract, in a browser ----
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              ['**/main/**', '**/preload/**'],
              'The renderer reaches the engine only through the contract client.',
            ),
            forbid(
              [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws'],
              'The renderer runs in a sandboxed page.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [forbid(['**/main/**', '**/renderer/**'], 'The preload exposes the contract only.')] },
      ],
    },
  },
  prettier,
);
