// @ts-check
import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import tseslint from 'typescript-eslint'

const nodeBuiltins = ['node:*', 'fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'worker_threads']

/** Imports flow one way: renderer, electron and server may use shared; shared uses none of them. */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'bench-results/**', 'server/demo-data/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  importX.flatConfigs.typescript,
  {
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', '*/tsconfig.json'], noWarnOnMultipleProjects: true })] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: restrict([
      { group: [...nodeBuiltins, 'electron', 'react', 'react-dom', 'dexie', '@cornerstonejs/*'], message: 'shared/ runs everywhere: no Node, Electron, DOM or UI imports.' },
      { group: ['**/renderer/**', '**/electron/**', '**/server/**'], message: 'shared/ must not import from renderer, electron or server.' },
    ]),
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/**/*.test.{ts,tsx}'],
    rules: restrict([
      { group: [...nodeBuiltins, 'electron'], message: 'The renderer reaches the desktop only through renderer/src/desktop/desktop.ts.' },
      { group: ['**/electron/**', '**/server/**'], message: 'The renderer may import only from renderer/ and shared/.' },
    ]),
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/viewer/**'],
    rules: restrict([
      { group: [...nodeBuiltins, 'electron'], message: 'The renderer reaches the desktop only through renderer/src/desktop/desktop.ts.' },
      { group: ['**/electron/**', '**/server/**'], message: 'The renderer may import only from renderer/ and shared/.' },
      { group: ['@cornerstonejs/*'], message: 'Cornerstone3D is contained in renderer/src/viewer/.' },
    ]),
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict([{ group: ['**/renderer/**', '**/electron/**', 'electron'], message: 'The server may import only from server/ and shared/.' }]),
  },
  {
    files: ['electron/**/*.ts', 'electron/**/*.cts'],
    rules: restrict([{ group: ['**/renderer/**'], message: 'The Electron shell must not import renderer code.' }]),
  },
)
