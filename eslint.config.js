// @ts-check
// ESLint flat config. TypeScript files get typescript-eslint's type-checked rules (via the project service,
// which reads tsconfig.json); plain JS config files are linted without type information.
// Layering between folders is enforced by dependency-cruiser (.dependency-cruiser.cjs), not here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    name: 'project/ignores',
    ignores: ['src/generated/**', '**/node_modules/**', 'data/**', 'coverage/**', 'dist/**', 'prisma/migrations/**'],
  },
  {
    name: 'project/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  js.configs.recommended,

  // The web console's browser scripts (served as they are to the browser).
  {
    name: 'project/browser-assets',
    files: ['src/web/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        console: 'readonly',
        navigator: 'readonly',
        FormData: 'readonly',
        URLSearchParams: 'readonly',
        HTMLElement: 'readonly',
        location: 'readonly',
      },
    },
  },

  // TypeScript: recommended + type-checked rules.
  {
    name: 'project/typescript',
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Promises must be awaited, returned, or explicitly discarded with `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `return await` only where it changes behaviour (inside try/catch/finally).
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      // Off: async methods that implement a Promise-returning port without awaiting are idiomatic here
      // (and `async` turns a synchronous throw into a rejection, which is what callers expect).
      '@typescript-eslint/require-await': 'off',

      // Unused things are errors, unless deliberately named with a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],

      // Type-only imports/exports are marked as such (matches verbatimModuleSyntax in tsconfig.json).
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports', disallowTypeAnnotations: true },
      ],
      '@typescript-eslint/consistent-type-exports': ['error', { fixMixedExportsWithInlineTypeSpecifier: false }],
      '@typescript-eslint/no-import-type-side-effects': 'error',

      // Strictness that pays off in a strict codebase.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unnecessary-condition': [
        'error',
        { allowConstantLoopConditions: 'only-allowed-literals' },
      ],
      '@typescript-eslint/prefer-nullish-coalescing': 'error',
      '@typescript-eslint/prefer-optional-chain': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: false, allowAny: false, allowNever: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/no-empty-function': 'off',

      // Plain ESLint rules.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      'object-shorthand': 'error',
    },
  },

  // Application code logs through the Logger port / pino (which redacts), never straight to the console.
  // The CLI, the console channel and the entry point's last-resort error handler may print.
  {
    name: 'project/no-console',
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/channels/console/**', 'src/main.ts', 'src/**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },

  // Tests: relax a few rules that fight with vitest idioms.
  {
    name: 'project/tests',
    files: ['test/**/*.ts', 'src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      // Asymmetric matchers (expect.any(String), expect.objectContaining(...)) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },

  // JS/CJS config files (eslint.config.js, .dependency-cruiser.cjs): no type information.
  {
    name: 'project/javascript',
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
);
