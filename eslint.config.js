import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import oneDoorPerFolder from './eslint/one-door-per-folder.js'

export default tseslint.config(
  { ignores: ['dist/', 'docs/api/', 'node_modules/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // plain Node scripts (build steps, test preloads)
    files: ['**/*.mjs', 'eslint/**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // one door per folder: another folder's modules only through its index.ts (or internal.ts)
    files: ['src/**/*.ts'],
    plugins: { upstream: { rules: { 'one-door-per-folder': oneDoorPerFolder } } },
    rules: { 'upstream/one-door-per-folder': 'error' },
  },
)
