// A session call made every step, with its feeds and fetches fixed when the step is made: the
// fused graph step's (graphStep.ts). Through tfjs-node's runSavedModel each call joined the
// feed and fetch names again, made the batch's rows a tfjs tensor (then a TensorFlow one, then
// disposed both) and wrapped every output as a tfjs tensor only for the step to dispose it. Here
// the names are joined once, the rows go from their Int32Array into a TensorFlow tensor freed
// after the call, and the outputs are freed where they come back (a step's fetch only makes the
// step run). Measured on the dense reference workload, the same session, blocks of an epoch's
// steps alternating in one process (2026-12-01, load 12): 303 against 343 µs of CPU a step at
// batch 32, 2,012-2,018 against 2,117-2,220 at batch 256 (medians of 10 blocks, two runs).
import type * as TF from '@tensorflow/tfjs';

export interface SavedModelBackend {
  loadSavedModelMetaGraph(dir: string, tags: string): number;
  runSavedModel(id: number, inputs: TF.Tensor[], infos: Array<{ name: string; tfDtype: string }>, outputs: string[]): TF.Tensor[];
  deleteSavedModel(id: number): void;
  /** TensorFlow tensor handles of tfjs tensors (values tfjs still holds on the host are copied in now). */
  getInputTensorIds(tensors: TF.Tensor[]): number[];
  binding: {
    TF_INT32: number;
    TF_FLOAT: number;
    runSavedModel(id: number, inputs: number[], inputNames: string, outputNames: string): Array<{ id: number }>;
    createTensor(shape: number[], dtype: number, values: Int32Array | Float32Array): number;
    deleteTensor(id: number): void;
    tensorDataSync(id: number): Float32Array | Int32Array | Uint8Array;
    /** Only in the binding we build (scripts/bindingSessionConfig.mjs): loadSavedModel with a serialized ConfigProto. */
    loadSavedModelWithConfig?(dir: string, tags: string, config: Uint8Array): number;
    /** Only in the binding we build (scripts/bindingRuleKernels.mjs): the rule ops it registered (MtsGradVac...). */
    ruleKernels?(): string[];
  };
}

/**
 * A feed of a prepared run: a tfjs tensor, or values uploaded for this call alone: int32 (a
 * batch's row numbers) or float32 (a gradient method's coefficients, graphGradientStep.ts).
 */
export type PreparedFeed = TF.Tensor | Int32Array | Float32Array;

export interface PreparedRun {
  /** One session call with these values, in the order of the feeds. */
  run(values: PreparedFeed[]): void;
  /** One session call whose fetches' values come back as typed arrays (copies: TensorFlow's tensors are freed at once). */
  read(values: PreparedFeed[]): Array<Float32Array | Int32Array>;
  /**
   * With `keepLast`: the last fetch's value from the latest call (a float32 tensor), read now;
   * undefined before the first call. TensorFlow's tensor is kept until the next call or `free`,
   * so a value wanted now and then (the running loss sums at a report) costs no call of its own.
   */
  last(): Float32Array | undefined;
  /** Frees the kept output, if any. */
  free(): void;
}

export function preparedRun(backend: SavedModelBackend, id: number, feeds: ReadonlyArray<{ name: string; tfDtype?: string }>, fetches: readonly string[], keepLast = false): PreparedRun {
  // runSavedModel converts uint8 and int64 feeds from tfjs' int32; a prepared run has no such step.
  const odd = feeds.find((f) => f.tfDtype !== undefined && f.tfDtype !== 'DT_FLOAT' && f.tfDtype !== 'DT_INT32');
  if (odd) throw new Error(`preparedRun: feed ${odd.name} of type ${odd.tfDtype} (float32 and int32 only)`);
  const b = backend.binding;
  const inputNames = feeds.map((f) => `${f.name}:0`).join(',');
  const outputNames = fetches.join(',');
  const tensors: number[] = [];
  const ids: number[] = new Array<number>(feeds.length);
  let kept: number | undefined;
  const free = () => {
    if (kept !== undefined) b.deleteTensor(kept);
    kept = undefined;
  };
  /** The call: returns TensorFlow's output tensors, which the caller frees. */
  const call = (values: PreparedFeed[]): Array<{ id: number }> => {
    if (values.length !== feeds.length) throw new Error(`preparedRun: ${values.length} values for ${feeds.length} feeds`);
    const uploaded: number[] = [];
    try {
      tensors.length = 0;
      for (let k = 0; k < values.length; k++) {
        const v = values[k]!;
        if (v instanceof Int32Array || v instanceof Float32Array) {
          ids[k] = b.createTensor([v.length], v instanceof Int32Array ? b.TF_INT32 : b.TF_FLOAT, v);
          uploaded.push(ids[k]!);
        } else {
          tensors.push(k);
        }
      }
      const held = backend.getInputTensorIds(tensors.map((k) => values[k] as TF.Tensor));
      tensors.forEach((k, j) => { ids[k] = held[j]!; });
      return b.runSavedModel(id, ids, inputNames, outputNames);
    } finally {
      for (const t of uploaded) b.deleteTensor(t);
    }
  };
  const run = (values: PreparedFeed[]) => {
    const outs = call(values);
    free();
    for (let k = 0; k < outs.length; k++) {
      if (keepLast && k === outs.length - 1) kept = outs[k]!.id;
      else b.deleteTensor(outs[k]!.id);
    }
  };
  const read = (values: PreparedFeed[]) => {
    const outs = call(values);
    try {
      return outs.map((o) => b.tensorDataSync(o.id) as Float32Array | Int32Array);
    } finally {
      for (const o of outs) b.deleteTensor(o.id);
    }
  };
  return { run, read, last: () => (kept === undefined ? undefined : b.tensorDataSync(kept) as Float32Array), free };
}
