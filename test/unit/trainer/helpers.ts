// Shared by the trainer tests: the repository root, the examples, a temporary runs folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Tests run from out/test/unit/trainer/*.js, three levels below the root... or from the root itself. */
export const ROOT = [process.cwd(), path.resolve(__dirname, '../../../..')].find((d) => fs.existsSync(path.join(d, 'examples')))!;

export function exampleFile(name: string): string {
  return path.join(ROOT, 'examples', name, `${name}.mtl.json`);
}

export function exampleDoc(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(exampleFile(name), 'utf8')) as Record<string, unknown>;
}

export const EXAMPLES = ['digits-parity', 'multimnist-cnn', 'correlated-regression', 'tabular-csv', 'partial-labels'];

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mts-${prefix}-`));
}

/** The one run folder under runsDir/<experiment>/. */
export function onlyRun(runsDir: string, experiment: string): string {
  const dir = path.join(runsDir, experiment);
  const runs = fs.readdirSync(dir);
  if (runs.length !== 1) throw new Error(`expected one run in ${dir}, found ${runs.join(', ')}`);
  return path.join(dir, runs[0]!);
}

export const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
