// ESLint flat config (issue 11 item 5; DECISIONS D114). `npm run lint`, run by .ci/run.
// The rules that keep the layering true (docs/ARCHITECTURE.md, "Layers"):
//   - no import cycles (import-x/no-cycle);
//   - the pure core (src/settlement, src/domain, src/reports, src/ledger, src/payments, src/catalogue) imports no
//     I/O layer: not src/http, src/repositories, src/services, src/db/database, src/queue, kysely, pg;
//   - SQL (Kysely's query builders, the `sql` tag) only in src/repositories, src/db and migrations;
//   - services never import from src/http; routes never import repositories' values;
//   - functions at most 80 lines; no floating promises;
//   - row types come from src/db/schema.ts: no `as never`, no cast to a `…Row` type, and in src/repositories no cast of
//     an awaited query result (Kysely infers it; raw SQL types its template, sql<T>) — DECISIONS D190.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const SQL_BUILDERS = 'selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto|selectNoFrom';

/** SQL outside the data layer: Kysely's query builders and the `sql` tag. */
const noSql = [
  {
    selector: `CallExpression[callee.property.name=/^(${SQL_BUILDERS})$/]`,
    message: 'SQL belongs in src/repositories (call a repository function).',
  },
  {
    selector: "TaggedTemplateExpression[tag.name='sql'], TaggedTemplateExpression[tag.object.name='sql']",
    message: 'SQL belongs in src/repositories (call a repository function).',
  },
];

/** Casts that hide what the compiler knows about rows (issue 11 item 3; DECISIONS D190). */
const ROW_TYPE = '/Row$/';
const noCasts = [
  {
    selector: "TSAsExpression[typeAnnotation.type='TSNeverKeyword']",
    message: '`as never` silences the compiler: give the value its type (rows: derive it from src/db/schema.ts).',
  },
  {
    selector: [`TSAsExpression[typeAnnotation.typeName.name=${ROW_TYPE}]`, `TSAsExpression > *.typeAnnotation TSTypeReference[typeName.name=${ROW_TYPE}]`].join(
      ', ',
    ),
    message: 'Rows are not cast: their types derive from src/db/schema.ts and Kysely infers query results.',
  },
];

/** In the data layer: a query's awaited result is never cast. */
const noResultCasts = [
  ...noCasts,
  {
    selector: "TSAsExpression[expression.type='AwaitExpression'], TSAsExpression[typeAnnotation.typeName.name='Promise']",
    message: 'A query result is not cast: Kysely infers it from src/db/schema.ts; raw SQL types its template (sql<T>) with a type derived from the schema.',
  },
];

const noSqlImport = {
  name: 'kysely',
  importNames: ['sql'],
  message: 'SQL belongs in src/repositories (call a repository function).',
};

const pureCore = [
  'src/settlement/**/*.ts',
  'src/domain/**/*.ts',
  'src/reports/**/*.ts',
  'src/ledger/accounts.ts',
  'src/ledger/entries.ts',
  'src/payments/**/*.ts',
  'src/catalogue/**/*.ts',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'openapi/**', 'coverage/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  importX.flatConfigs.typescript,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // Type-aware, and cheap enough: a promise nobody awaits is a lost error or a lost write.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true }],
    },
  },
  {
    // SQL only in the data layer.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/repositories/**', 'src/db/**'],
    rules: {
      'no-restricted-syntax': ['error', ...noSql, ...noCasts],
      'no-restricted-imports': ['error', { paths: [noSqlImport] }],
    },
  },
  {
    // The data layer: SQL lives here, its result types come from the schema.
    files: ['src/repositories/**/*.ts', 'src/db/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...noResultCasts],
    },
  },
  {
    // Services: below HTTP.
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noSqlImport],
          patterns: [{ group: ['**/http/**', '**/http/*'], message: 'Services sit below HTTP: errors and paging are in src/domain.' }],
        },
      ],
    },
  },
  {
    // Routes and HTTP plugins: call services, never the database (types of rows are fine).
    files: ['src/http/**/*.ts', 'workers/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...noSql,
        ...noCasts,
        {
          selector:
            "MemberExpression[object.name='ctx'][property.name='db'], MemberExpression[object.object.name='ctx'][object.property.name='database'][property.name!='kind']",
          message: 'HTTP code and job handlers call services (ctx.services), never the database.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [noSqlImport, { name: 'kysely', message: 'HTTP code calls services, never the database.', allowTypeImports: true }],
          patterns: [{ group: ['**/repositories/*', '**/db/*'], message: 'HTTP code calls services; repositories are for services.', allowTypeImports: true }],
        },
      ],
    },
  },
  {
    // The pure core: no I/O layer at all.
    files: pureCore,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kysely', message: 'The pure core does no I/O.', allowTypeImports: false },
            { name: 'pg', message: 'The pure core does no I/O.' },
          ],
          patterns: [
            {
              group: ['**/http/*', '**/http/**', '**/repositories/*', '**/services/*', '**/queue/*', '**/db/database.js', '**/db/bulk.js', '**/db/any.js'],
              message: 'The pure core (src/settlement, src/domain, src/reports, src/ledger, src/payments, src/catalogue) imports no I/O layer.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests, benchmarks and migrations may be long and may use SQL directly (fixtures, probes).
    files: ['test/**/*.ts', 'bench/**/*.ts', 'migrations/**/*.ts', '*.config.ts', '*.config.js'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'max-lines-per-function': 'off',
      'no-restricted-syntax': 'off',
      'no-restricted-imports': 'off',
    },
  },
  {
    // The dashboard's browser script: browser globals and the uPlot it is loaded beside.
    files: ['src/dashboard/assets/**/*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', devicePixelRatio: 'readonly', uPlot: 'readonly' } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
