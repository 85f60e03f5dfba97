// Lint: a few rules that catch bugs, and the import floors of DESIGN.md ("Layout"): an import
// never goes up a floor, no source driver imports another, and the surfaces (web, digest, cli)
// reach the store, the sources and the sync engine only through the application layer.
import tseslint from 'typescript-eslint';

const SURFACES = ['**/web/**', '**/digest/**', '**/cli/**'];
const floor = (files, forbidden, why) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message: why }] }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'digest-preview/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
      'no-control-regex': 'error',
    },
  },
  floor(['src/model/**'], ['../*'], 'model imports nothing internal (DESIGN.md, "Layout").'),
  floor(
    ['src/config/**'],
    ['**/sources/**', '**/store/**', '**/metrics/**', '**/sync/**', '**/app/**', '**/present/**', ...SURFACES],
    'config sits on model only.',
  ),
  floor(
    ['src/metrics/**'],
    ['**/sources/**', '**/store/**', '**/sync/**', '**/app/**', '**/present/**', ...SURFACES, 'express', 'better-sqlite3', 'node:fs', 'node:http'],
    'metrics are pure: no I/O, no sentences, nothing above them.',
  ),
  floor(
    ['src/store/**'],
    ['**/sources/**', '**/metrics/**', '**/sync/**', '**/app/**', '**/present/**', ...SURFACES],
    'the store sits on model and config only.',
  ),
  floor(
    ['src/sources/kit/**'],
    ['**/notion/**', '**/airtable/**', '**/csv/**', '**/store/**', '**/sync/**', '**/app/**', '**/present/**', ...SURFACES],
    'the kit serves every driver and knows none.',
  ),
  floor(
    ['src/sources/notion/**'],
    ['**/airtable/**', '**/csv/**', '**/store/**', '**/sync/**', '**/app/**', '**/present/**', ...SURFACES],
    'a source driver never imports another.',
  ),
  floor(
    ['src/sources/airtable/**'],
    ['**/notion/**', '**/csv/**', '**/store/**', '**/sync/**', '**/app/**', '**/present/**', ...SURFACES],
    'a source driver never imports another.',
  ),
  floor(
    ['src/sources/csv/**'],
    ['**/notion/**', '**/airtable/**', '**/store/**', '**/sync/**', '**/app/**', '**/present/**', ...SURFACES],
    'a source driver never imports another.',
  ),
  floor(['src/sync/**'], ['**/app/**', '**/present/**', ...SURFACES], 'the sync engine sits below the application layer.'),
  floor(['src/app/**'], ['**/present/**', ...SURFACES], 'the application layer renders nothing: presenters and surfaces sit above it.'),
  floor(['src/present/**'], ['**/sources/**', '**/store/**', '**/sync/**', ...SURFACES], 'the presenter formats data; it reads nothing.'),
  floor(['src/web/**'], ['**/sources/**', '**/store/**', '**/sync/**', '**/cli/**'], 'web goes through the application layer (src/index.ts).'),
  floor(
    ['src/digest/**'],
    ['**/sources/**', '**/store/**', '**/sync/**', '**/web/**', '**/cli/**'],
    'digests go through the application layer (src/index.ts).',
  ),
  floor(['src/cli/**'], ['**/sources/**', '**/store/**', '**/sync/**'], 'the CLI goes through the application layer (src/index.ts).'),
);
