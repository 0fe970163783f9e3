// @ts-check
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const MAX_DEPTH = 6

/**
 * Module doors. no-restricted-imports matches the import text, not the resolved path, so the
 * rule is generated per folder depth: from `src/modules/<a>/` plus `depth` folders, exactly
 * `depth + 1` `../` reach `src/modules/`, and the next segment is another module (or `a` itself,
 * which nobody should spell that way either). Only `<b>/index.js` may follow.
 */
function moduleDoorRules(depth) {
  const up = '\\.\\./'.repeat(depth + 1)
  const glob = ['src/modules/*', ...Array(depth).fill('*'), '*.ts'].join('/')
  return {
    files: [glob],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^${up}[^./][^/]*/(?!index\\.js$).+`,
              message:
                'Import another module only through its door: ../<module>/index.js (docs/architecture.md, "Modules").',
            },
            {
              regex: '^(\\.\\./)+(config|config-values|composition|runtime|app|main)\\.js$',
              message:
                'A module gets its settings and peers from the composition root, never by importing it.',
            },
            {
              regex: `^${up}(\\.\\./)+(src/)?modules/`,
              message: 'Reach other modules with a short relative path to ../<module>/index.js.',
            },
            {
              // Flows drive modules, never the reverse: a module reaching a flow is no leaf.
              regex: '^(\\.\\./)+(src/)?flows(/|$)',
              message:
                'Modules are leaves: src/flows drives them through their doors, never the reverse.',
            },
          ],
        },
      ],
    },
  }
}

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.emporium/',
      'coverage/',
      'bench/.tmp/',
      'src/graphql.types.ts',
      'admin/dist/',
      'admin/src/api/schema.d.ts',
    ],
  },
  js.configs.recommended,
  tseslint.configs.strict,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // With noUncheckedIndexedAccess, `rows[0]!` after a length check is the honest idiom.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // The dashboard runs in the browser.
    files: ['admin/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  Array.from({ length: MAX_DEPTH }, (_, depth) => moduleDoorRules(depth)),
  {
    // A flow reaches a module only through its door, like another module would.
    files: ['src/flows/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./modules/[^/]+/(?!index\\.js$).+',
              message:
                'A flow imports a module only through its door: ../modules/<module>/index.js.',
            },
          ],
        },
      ],
    },
  },
  {
    // Platform and shared code carry no business words: they never depend on a module.
    files: ['src/platform/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(config|config-values|composition)\\.js$',
              message:
                'Platform code does not read the configuration: the composition root passes settings in.',
            },
            {
              regex: '^(\\.\\./)+(src/)?modules(/|$)',
              message:
                'Platform code must not import from src/modules: pass what it needs in (docs/architecture.md, "Platform").',
            },
          ],
        },
      ],
    },
  },
)
