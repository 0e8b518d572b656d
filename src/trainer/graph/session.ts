// A TensorFlow session holding a graph we built (graphDef.ts), through tfjs-node's SavedModel
// loader: the SavedModel is written to a temporary folder, loaded (TF_LoadSessionFromSavedModel;
// no variables/ folder, so nothing is restored: the variables start uninitialised until a
// `set` run assigns them) and the folder removed at once: the session keeps the graph and its
// variables between runs. Each `run` is one TF_SessionRun.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { preparedRun, type PreparedRun, type SavedModelBackend } from './preparedRun';

export interface GraphSession {
  /** Feeds `feeds` (placeholder names, float32 unless said) and returns the `fetches`' values as tfjs tensors. */
  run(feeds: Array<{ name: string; tfDtype?: string }>, values: TF.Tensor[], fetches: string[]): TF.Tensor[];
  /**
   * `run` for a call made every step whose fetches are only there to run it (preparedRun.ts): the
   * names are joined once, an Int32Array feed goes straight into a TensorFlow tensor and the
   * outputs are freed without becoming tfjs tensors (`keepLast`: but the last, kept for `last()`).
   * float32 and int32 feeds only.
   */
  prepare(feeds: Array<{ name: string; tfDtype?: string }>, fetches: string[], keepLast?: boolean): PreparedRun;
  dispose(): void;
}

export function openSession(tf: Tf, savedModel: Uint8Array): GraphSession {
  const backend = tf.backend() as unknown as SavedModelBackend;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-graph-'));
  let id: number;
  try {
    fs.writeFileSync(path.join(dir, 'saved_model.pb'), savedModel);
    id = backend.loadSavedModelMetaGraph(dir, 'serve');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  let disposed = false;
  return {
    run(feeds, values, fetches) {
      // tfjs-node reads `name` (op:index) and, for uint8/int64 feeds only, `tfDtype`.
      return backend.runSavedModel(id, values, feeds.map((f) => ({ name: `${f.name}:0`, tfDtype: f.tfDtype ?? 'DT_FLOAT' })),
        fetches.map((f) => (f.includes(':') ? f : `${f}:0`)));
    },
    prepare(feeds, fetches, keepLast) {
      return preparedRun(backend, id, feeds, fetches.map((f) => (f.includes(':') ? f : `${f}:0`)), keepLast);
    },
    dispose() {
      if (!disposed) backend.deleteSavedModel(id);
      disposed = true;
    },
  };
}
