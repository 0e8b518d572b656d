// Shared by the extension-host tests: the workspace folder, files written into it, waits.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { digitsParity } from '../fixtures/digitsParity';

export const EXTENSION_ID = 'multi-task-studio.multi-task-studio';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs with a workspace folder open');
  return folder.uri.fsPath;
}

/** Writes an experiment into a folder of its own in the workspace and returns its Uri. */
export function writeExperiment(folder: string, name: string, doc: unknown): vscode.Uri {
  const dir = path.join(workspaceDir(), folder);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof doc === 'string' ? doc : `${JSON.stringify(doc, null, 2)}\n`);
  return vscode.Uri.file(file);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A small, quick version of the reference experiment: 1,000 digits, one 64-unit trunk layer, 2 epochs. */
export function quickExperiment(name: string): Record<string, unknown> {
  const { layout: _layout, ...spec } = digitsParity();
  return {
    ...spec,
    name,
    data: { ...spec.data, source: { type: 'mnist', limit: 1000 } },
    model: {
      ...spec.model,
      layers: spec.model.layers.filter((l) => l.id !== 'trunk2')
        .map((l) => (l.id === 'trunk1' ? { ...l, units: 64 } : { ...l, from: l.from.map((f) => (f === 'trunk2' ? 'trunk1' : f)) })),
    },
    training: { ...spec.training, optimizer: { type: 'sgd', learningRate: 0.05 }, epochs: 2 },
  };
}
