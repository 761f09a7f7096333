// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import boundaries from 'eslint-plugin-boundaries';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * Layering, checked by machine at any folder depth (the rules of the house in ARCHITECTURE.md):
 *   renderer -> shared <- main;  inside main: core imports only core and shared;
 *   adapters (market, store, inference, broker, training) import core, shared and platform, never
 *   each other (the engine and the modes wire them); the engine wires adapters; modes choose;
 *   transport, cli and index sit on top; only src/main/index.ts imports electron.
 * eslint-plugin-boundaries resolves every import to the file it names and checks the layer of both
 * ends, so `core/synthetic/x.ts` importing `../../store/store` fails like `core/x.ts` importing
 * `../store/store`. The pure layers also compile under tsconfig.layers.json with no DOM and no Node
 * types, and scripts/check-layers.mjs fails if any import pulls those types (or other layers) in.
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

/** Layers: each source file belongs to exactly one (the first pattern that matches its path). */
const LAYERS = [
  { type: 'shared', pattern: 'src/shared/**', partialMatch: false },
  { type: 'core', pattern: 'src/main/core/**', partialMatch: false },
  { type: 'platform', pattern: 'src/main/platform/**', partialMatch: false },
  { type: 'market', pattern: 'src/main/market/**', partialMatch: false },
  { type: 'store', pattern: 'src/main/store/**', partialMatch: false },
  { type: 'inference', pattern: 'src/main/inference/**', partialMatch: false },
  { type: 'broker', pattern: 'src/main/broker/**', partialMatch: false },
  { type: 'training', pattern: 'src/main/training/**', partialMatch: false },
  { type: 'engine', pattern: 'src/main/engine/**', partialMatch: false },
  { type: 'modes', pattern: 'src/main/modes/**', partialMatch: false },
  { type: 'transport', pattern: 'src/main/transport/**', partialMatch: false },
  { type: 'cli', pattern: 'src/main/cli/**', partialMatch: false },
  { type: 'test-support', pattern: 'src/main/test-support/**', partialMatch: false },
  // Files directly in src/main: the Electron entry (index.ts) and nothing else.
  { type: 'entry', pattern: 'src/main', partialMatch: false },
  { type: 'preload', pattern: 'src/preload/**', partialMatch: false },
  { type: 'renderer', pattern: 'src/renderer/**', partialMatch: false },
];
const ADAPTERS = ['market', 'store', 'inference', 'broker', 'training'];
/** Who may import whom (besides itself). */
const MAY_IMPORT = {
  shared: [],
  core: ['shared'],
  platform: ['shared'],
  ...Object.fromEntries(ADAPTERS.map((adapter) => [adapter, ['core', 'shared', 'platform']])),
  engine: ['core', 'shared', 'platform', ...ADAPTERS],
  modes: ['engine', 'core', 'shared', 'platform', ...ADAPTERS],
  transport: ['shared', 'platform'],
  cli: ['modes', 'engine', 'transport', 'core', 'shared', 'platform', ...ADAPTERS],
  /** Helpers that tests share (timers, fixtures); only tests import them. */
  'test-support': ['core', 'shared', 'platform', 'training'],
  entry: ['cli', 'modes', 'engine', 'transport', 'core', 'shared', 'platform', ...ADAPTERS],
  preload: ['shared'],
  renderer: ['shared'],
};

/** The layer rules, at any depth (scripts/layers.test.mjs lints probes with exactly this block). */
export const layerBoundaries = {
  files: ['src/**/*.{ts,tsx}'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': LAYERS,
    // Tests and their fixtures, whatever layer they sit in: they may import any layer and the helpers.
    'boundaries/files': [
      { category: 'test', pattern: ['**/*.test.ts', '**/*.test.tsx', '**/test-fixtures/**'] },
    ],
    'boundaries/root-path': import.meta.dirname,
    'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } },
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        policies: [
          ...Object.entries(MAY_IMPORT).map(([from, to]) => ({
            from: { element: { type: from } },
            allow: { to: { element: { types: { anyOf: [from, ...to] } } } },
          })),
          { from: { file: { categories: 'test' } }, allow: { to: { element: { type: '*' } } } },
        ],
      },
    ],
    // A file under src/ that belongs to no layer is a file nobody checks.
    'boundaries/no-unknown-files': 'error',
  },
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'scripts/*.d.mts',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
      '.tmp/**',
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
  layerBoundaries,
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
  // (Its tests may read fixtures and the shared data from disk; they still get no clock or randomness.)
  {
    files: ['src/main/core/**/*.ts'],
    ignores: ['src/main/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(
              [...nodeBuiltins, 'electron', 'better-sqlite3', 'ws', 'onnxruntime-node'],
              'core has no I/O.',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
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
          patterns: [forbid(['electron'], 'Only src/main/index.ts imports electron.')],
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
