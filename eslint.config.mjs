// Lint, and the layering rules of DESIGN.md as import restrictions: core imports none of
// the other layers; host never loads tfjs; trainer never imports vscode; the webview sees
// only core (and its own ui/ for the component toolkit).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-output/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // The trainer loads heavy packages (tfjs backends, the MNIST digits) lazily, when used.
  { files: ['src/trainer/**', 'bench/**'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests feed malformed documents on purpose.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['src/core/**'], rules: restrict([
    { group: ['vscode', '@tensorflow/*', 'node:*', 'react', 'react-dom'], message: 'src/core is pure TypeScript.' },
    { group: ['**/host/**', '**/trainer/**', '**/webview/**'], message: 'core imports no other layer.' },
  ]) },
  { files: ['src/host/**', 'src/extension.ts'], rules: restrict([
    { group: ['@tensorflow/*'], message: 'The extension host never loads TensorFlow; the trainer process does.' },
    { group: ['**/trainer/**', '**/webview/**'], message: 'host talks to the trainer and webview through core/ messages.' },
  ]) },
  { files: ['src/trainer/**'], rules: restrict([
    { group: ['vscode'], message: 'The trainer runs without VS Code.' },
    { group: ['**/host/**', '**/webview/**'], message: 'trainer imports core only.' },
  ]) },
  { files: ['webview/**'], rules: restrict([
    { group: ['vscode', '@tensorflow/*', 'node:*'], message: 'The webview is a browser bundle.' },
    { group: ['**/host/**', '**/trainer/**'], message: 'webview imports core only.' },
  ]) },
  { files: ['webview/**'], ignores: ['webview/ui/**'], rules: restrict([
    { group: ['vscode', '@tensorflow/*', 'node:*'], message: 'The webview is a browser bundle.' },
    { group: ['**/host/**', '**/trainer/**'], message: 'webview imports core only.' },
    { group: ['@vscode/webview-ui-toolkit', '@vscode/webview-ui-toolkit/*'], message: 'Only webview/ui imports the toolkit.' },
  ]) },
);
