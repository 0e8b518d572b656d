// The lint rules that keep the host by feature, run by ESLint itself with the repository's
// eslint.config.mjs on sources that break them (given as text, at paths inside src/host):
// a deep import into another feature, a root helper importing a feature, and import cycles
// (within a feature, between two features through their index files, and between two
// feature folders taken as wholes); and a quick pick without ignoreFocusOut.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type * as EslintApi from 'eslint';
import { ROOT } from '../../repoRoot';

let eslint: EslintApi.ESLint;

/** The messages of one rule for `text` linted as if it were the file `file`. */
async function lint(file: string, text: string, ruleId: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === ruleId).map((m) => m.message);
}

describe('host layering lint rules', () => {
  before(async () => {
    // Loaded from node_modules at run time (a computed path keeps the test bundle from inlining ESLint).
    const api = (await import(path.join(ROOT, 'node_modules', 'eslint', 'lib', 'api.js'))) as typeof EslintApi;
    eslint = new api.ESLint({ cwd: ROOT });
  });

  it("refuses a feature importing another feature's internals, allows its index.ts and the root's helpers", async () => {
    const deep = await lint('src/host/diagram/violation.ts',
      "import { RunsTreeProvider } from '../runs/runsTree';\nexport const t = RunsTreeProvider;\n", 'no-restricted-imports');
    assert.equal(deep.length, 1);
    assert.match(deep[0]!, /only through its index\.ts/);
    const allowed = await lint('src/host/diagram/allowed.ts',
      "import { sessions } from '../training/index';\nimport { allRunsDirs } from '../runsLocation';\nimport { RUN_FILES } from '../../core/runLayout';\nexport const all = [sessions, allRunsDirs, RUN_FILES];\n",
      'no-restricted-imports');
    assert.deepEqual(allowed, []);
  });

  it("refuses a helper at src/host's root importing a feature folder", async () => {
    const messages = await lint('src/host/violation.ts', "import { sessions } from './training/index';\nexport const s = sessions;\n", 'no-restricted-imports');
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /imports no feature folder/);
  });

  it('finds a cycle inside a feature and names its modules', async () => {
    // session.ts imports sessionStream.ts; sessionStream.ts importing session.ts closes the loop.
    const messages = await lint('src/host/training/sessionStream.ts',
      "import type { TrainingSession } from './session';\nexport type Owner = TrainingSession;\n", 'local/no-import-cycle');
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /src\/host\/training\/sessionStream\.ts → src\/host\/training\/session\.ts → src\/host\/training\/sessionStream\.ts/);
  });

  it('finds a cycle between two features even through their index files', async () => {
    // runs/index.ts imports training/index.ts, which imports sessions.ts: training importing runs closes it.
    const text = "import { registerRunsView } from '../runs/index';\nexport const register = registerRunsView;\n";
    assert.deepEqual(await lint('src/host/training/sessions.ts', text, 'no-restricted-imports'), [], 'an index import is allowed by itself');
    const messages = await lint('src/host/training/sessions.ts', text, 'local/no-import-cycle');
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /^Import cycle: src\/host\/training\/sessions\.ts → src\/host\/runs\/index\.ts → .* → src\/host\/training\/sessions\.ts\./);
  });

  it('finds a cycle between two feature folders taken as wholes, where no module cycle exists', async () => {
    // A new training module nothing imports yet: runs -> training exists (runs imports training/index).
    const text = "import { registerRunsView } from '../runs/index';\nexport const register = registerRunsView;\n";
    assert.deepEqual(await lint('src/host/training/violation.ts', text, 'local/no-import-cycle'), []);
    const messages = await lint('src/host/training/violation.ts', text, 'local/no-feature-cycle');
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /^Feature cycle: training → runs → training \(src\/host\/runs\/(index|runsTree)\.ts\)/);
  });

  it('keeps src/node (used by host and trainer alike) free of vscode, tfjs and the other layers; both may import it', async () => {
    const vscode = await lint('src/node/violation.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", 'no-restricted-imports');
    assert.equal(vscode.length, 1);
    assert.match(vscode[0]!, /shared by the host \(no tfjs\) and the trainer \(no vscode\)/);
    const layer = await lint('src/node/violation.ts', "import { forkTrainer } from '../host/trainerProcess';\nexport const f = forkTrainer;\n", 'no-restricted-imports');
    assert.equal(layer.length, 1);
    assert.match(layer[0]!, /imports core only/);
    const guard = "import { guardChannel } from '../node/channelGuard';\nexport const g = guardChannel;\n";
    assert.deepEqual(await lint('src/trainer/allowed.ts', guard, 'no-restricted-imports'), []);
    assert.deepEqual(await lint('src/host/allowed.ts', guard, 'no-restricted-imports'), []);
  });

  it('refuses a quick pick that closes when the focus moves (no ignoreFocusOut), allows one that stays', async () => {
    const bare = await lint('src/host/diagram/violation.ts',
      "import * as vscode from 'vscode';\nexport const p = vscode.window.showQuickPick(['a'], { placeHolder: 'Which?' });\n", 'no-restricted-syntax');
    assert.equal(bare.length, 1);
    assert.match(bare[0]!, /ignoreFocusOut/);
    const kept = await lint('src/host/diagram/allowed.ts',
      "import * as vscode from 'vscode';\nexport const p = vscode.window.showQuickPick(['a'], { placeHolder: 'Which?', ignoreFocusOut: true });\n", 'no-restricted-syntax');
    assert.deepEqual(kept, []);
  });

  it('passes the host as it is', async () => {
    const results = await eslint.lintFiles(['src/host', 'src/extension.ts']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`));
    assert.deepEqual(problems, []);
  });
});
