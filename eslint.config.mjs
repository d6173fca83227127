// Lints every TypeScript folder with typescript-eslint's recommended rules, and keeps the layers apart:
// src/core is pure (no vscode, no protocol/extension/cli/webview), src/protocol is shared by host and
// webviews (no vscode, no extension/cli/webview), webview/ runs in a browser (no Node module, no host
// code) and the CLI runs without VS Code.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const vscode = { name: 'vscode', message: 'Only src/extension (and its tests) may import vscode.' };
const nodeModules = builtinModules.filter((m) => !m.startsWith('_'));

/** Relative imports that reach into one of the top-level folders, at any depth. */
const folder = (name, message) => ({ group: [`**/${name}`, `**/${name}/**`], message });
const extension = folder('extension', 'src/extension is the VS Code adapter layer: nothing below it imports it.');
const cli = folder('cli', 'src/cli is an entry point: nothing below it imports it.');
const webview = folder('webview', 'webview/ is browser code: share through src/protocol or src/core instead.');

export default defineConfig(
  { ignores: ['dist/**', 'out/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts', 'test/**/*.ts', 'test/**/*.mts', 'bench/**/*.ts', 'scripts/**/*.ts', '__mocks__/*.cts', '*.mts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    // `const { dropped, ...kept } = o` is how a field is left out of a copy.
    rules: { '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
  {
    // Messages cross the host/webview boundary: `any` there hides an unvalidated payload.
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscode],
          patterns: [folder('protocol', 'src/core is the domain model: src/protocol imports it, not the reverse.'), extension, cli, webview],
        },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscode], patterns: [extension, cli, webview] }] },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscode] }] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscode, ...nodeModules.map((name) => ({ name, message: 'webview/ runs in a browser: no Node module.' }))],
          patterns: [{ group: ['node:*'], message: 'webview/ runs in a browser: no Node module.' }, extension, cli],
        },
      ],
    },
  },
);
