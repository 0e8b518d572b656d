// Lint, and the layering rules of ARCHITECTURE.md as import restrictions: core imports none of
// the other layers; host never loads tfjs; trainer never imports vscode; node/ (what host and
// trainer both need from Node) imports core only; the webview sees only core (and its own ui/
// for the component toolkit).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importCycles from './scripts/eslint/importCycles.mjs';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const hostLayer = [
  { group: ['@tensorflow/*'], message: 'The extension host never loads TensorFlow; the trainer process does.' },
  { group: ['**/trainer/**', '**/webview/**'], message: 'host talks to the trainer and webview through core/ messages.' },
];

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
  // No module imports one that leads back to it (scripts/eslint/importCycles.mjs says why).
  { files: ['src/core/**', 'src/node/**', 'src/trainer/**', 'src/host/**', 'src/extension.ts', 'webview/**'], plugins: { local: importCycles }, rules: { 'local/no-import-cycle': 'error' } },
  // Nor does a host feature folder import one that leads back to it, taken as wholes.
  { files: ['src/host/**'], plugins: { local: importCycles }, rules: { 'local/no-feature-cycle': ['error', { root: 'src/host' }] } },
  // A quick pick stays open when the focus moves: a webview redrawing or the Welcome page taking
  // the focus back closed pickers before they could be answered (src/host/experimentTarget.ts).
  { files: ['src/host/**'], rules: { 'no-restricted-syntax': ['error', {
    selector: "CallExpression[callee.property.name='showQuickPick']:not(:has(Property[key.name='ignoreFocusOut']))",
    message: 'Pass ignoreFocusOut: true to showQuickPick (a webview or the Welcome page taking the focus back closes the pick).',
  }] } },
  // The trainer loads heavy packages (tfjs backends, the MNIST digits) lazily, when used.
  { files: ['src/trainer/**', 'bench/**'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests feed malformed documents on purpose.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['src/core/**'], rules: restrict([
    { group: ['vscode', '@tensorflow/*', 'node:*', 'react', 'react-dom'], message: 'src/core is pure TypeScript.' },
    { group: ['**/host/**', '**/trainer/**', '**/webview/**'], message: 'core imports no other layer.' },
  ]) },
  // The host by feature: each folder of src/host (designer, diagram, environment, newExperiment,
  // runs, training) is one feature with an index.ts, the only file another feature (or
  // extension.ts) imports; what several features use lives at src/host's root, which imports
  // no feature folder.
  { files: ['src/host/*.ts'], rules: restrict([...hostLayer,
    { regex: '^\\./[^/]+/', message: "src/host's root holds what several features share: it imports no feature folder." },
  ]) },
  { files: ['src/host/*/**'], rules: restrict([...hostLayer,
    { regex: '^\\.\\./(?!\\.)[^/]+/(?!index$)', message: "A host feature imports another only through its index.ts; a helper both need belongs at src/host's root." },
  ]) },
  { files: ['src/extension.ts'], rules: restrict([...hostLayer,
    { regex: '^\\./host/[^/]+/(?!index$)', message: 'activate() wires each host feature through its index.ts.' },
  ]) },
  { files: ['src/node/**'], rules: restrict([
    { group: ['vscode', '@tensorflow/*'], message: 'src/node is shared by the host (no tfjs) and the trainer (no vscode).' },
    { group: ['**/host/**', '**/trainer/**', '**/webview/**'], message: 'src/node imports core only.' },
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
