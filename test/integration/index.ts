// Entry the extension host loads as `extensionTestsPath` (code-server payload or
// @vscode/test-electron): runs every *.test.js bundled next to it with mocha and writes
// the results to a JSON file, because in code-server nobody sees the host's stdout.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export interface SuiteResults {
  passed: number;
  failed: number;
  tests: { title: string; state: 'passed' | 'failed'; error?: string }[];
}

/** Where results go: $MTS_TEST_RESULTS, else results.json beside this bundle. */
export function resultsPath(): string {
  return process.env.MTS_TEST_RESULTS ?? path.join(__dirname, 'results.json');
}

function writeResults(file: string, results: SuiteResults): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, file); // the runner polls for this file: it must never see half of it
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false });
  // The runner's filter (MTS_INTEGRATION_GREP): only the tests whose full title contains it.
  if (process.env.MTS_INTEGRATION_GREP) mocha.grep(process.env.MTS_INTEGRATION_GREP);
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  const results: SuiteResults = { passed: 0, failed: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      try {
        writeResults(resultsPath(), results);
      } catch (err) {
        reject(err);
        return;
      }
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      results.passed++;
      results.tests.push({ title: t.fullTitle(), state: 'passed' });
    });
    runner.on('fail', (t, err: Error) => {
      results.failed++;
      results.tests.push({ title: t.fullTitle(), state: 'failed', error: err.stack ?? err.message });
    });
  });
}
