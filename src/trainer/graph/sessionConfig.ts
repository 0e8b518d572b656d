// What Grappler (TensorFlow's graph optimizer) does to a session we open: its default passes,
// all but its MLIR pipeline, or nothing. It runs on every new fetch set's first run; on the dense
// reference graph that is about 50 ms of CPU a run, 30 of it the MLIR (tfg) pipeline, and the
// steady step is the same without it (bench/firstEpochProbe.ts's header). tfjs-node opens a
// session with no ConfigProto; the binding we build against the wheel adds
// `loadSavedModelWithConfig` (scripts/bindingSessionConfig.mjs), and the package's own prebuilt
// binding has not got it: then every session opens as tfjs-node does and the run log says so.

/**
 * 'on': TensorFlow's default passes; 'no-mlir': all but the MLIR (tfg) pipeline; 'fuse-only': the
 * remapper alone (MatMul + BiasAdd + Relu into one _FusedMatMul, Conv2D's alike: what a steady
 * step gains from Grappler) with static shape inference, which it needs; 'off': none.
 */
export type GrapplerMode = 'on' | 'no-mlir' | 'fuse-only' | 'off';

export const GRAPPLER_MODES: readonly GrapplerMode[] = ['on', 'no-mlir', 'fuse-only', 'off'];

// RewriterConfig's fields (TensorFlow 2.21 rewriter_config.proto): a Toggle's OFF is 2, MemOptType's NO_MEM_OPT 1, a bool's true 1.
const LAYOUT = 1, NO_PRUNING = 2, CONSTANT_FOLDING = 3, MEMORY = 4, ARITHMETIC = 7, DEPENDENCY = 8, LOOP = 9, FUNCTION = 10,
  SHAPE = 13, IMPLEMENTATION_SELECTOR = 22, COMMON_SUBGRAPH = 24, NO_META_OPTIMIZER = 19, NO_TFG = 32;
const OFF = 2, NO_MEM_OPT = 1, TRUE = 1;
const REWRITES: Record<Exclude<GrapplerMode, 'on'>, Array<[field: number, value: number]>> = {
  'no-mlir': [[NO_TFG, TRUE]],
  'fuse-only': [[LAYOUT, OFF], [NO_PRUNING, TRUE], [CONSTANT_FOLDING, OFF], [MEMORY, NO_MEM_OPT], [ARITHMETIC, OFF], [DEPENDENCY, OFF],
    [LOOP, OFF], [FUNCTION, OFF], [SHAPE, OFF], [IMPLEMENTATION_SELECTOR, OFF], [COMMON_SUBGRAPH, OFF], [NO_TFG, TRUE]],
  off: [[NO_META_OPTIMIZER, TRUE]],
};

/** Protobuf's varint: 7 bits a byte, low first, the high bit set on all but the last. */
function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

// ConfigProto { graph_options (10) { rewrite_options (10) { the mode's fields } } }: a varint
// field is its key (field << 3) then the value; a message field is its key ((field << 3) | 2),
// its length, then its bytes. Written once per mode.
const CONFIGS = Object.fromEntries(Object.entries(REWRITES).map(([mode, fields]) => {
  const rewrite = fields.flatMap(([field, value]) => [...varint(field << 3), ...varint(value)]);
  const message = (field: number, body: number[]) => [...varint((field << 3) | 2), ...varint(body.length), ...body];
  return [mode, Uint8Array.from(message(10, message(10, rewrite)))];
})) as Record<Exclude<GrapplerMode, 'on'>, Uint8Array>;

/**
 * The mode a training graph's session opens with: Grappler off unless the graph has a layer of
 * convLayers.ts (`conv`: convolution, pooling, batch norm, flatten, reshape). The dense reference
 * workload at batch 256 (bench/firstEpochProbe.ts, MTS_GRAPPLER alternating on, fuse-only, off,
 * 3 rounds, 2026-12-01 15:08-15:11, load 24-25), medians of CPU ms: the four fetch sets' first
 * runs 130 on, 101 fuse-only, 54 off; steady steps 900, 963, 787 (inside the noise: off is not
 * slower without the remapper's fused MatMul); whole run 1,167, 1,250, 987.
 * Gradient methods and recurrent graphs: the same probe with `--weighting=METHOD:MODE --epochs=1`
 * (dense reference, batch 256, 78 steps) and `--workload=lstm` (batch 64), on against off
 * alternated, 3 rounds, 2026-12-02 00:37-01:03, load 10-28, medians [ranges] of CPU ms, the fetch
 * sets' first runs on the shared parameters: GradDrop 285 [240-331] against 92 [78-106], PCGrad
 * 174 [131-199] / 70 [64-79], IMTL-G 187 [168-229] / 63 [54-64], UPGrad 191 [174-210] / 56 [51-78],
 * GradVac 229 [174-248] / 82 [53-82], CAGrad 202 [191-241] / 72 [65-78], Aligned-MTL 181 [172-216]
 * / 73 [73-74], GradNorm 238 [217-247] / 76 [73-81]; on the representation MGDA 150 [147-161] / 64
 * [63-71], Nash-MTL 183 [157-198] / 52 [48-75]; the LSTM 542 [456-623] / 118 [80-121]. Steady steps
 * inside the noise (GradDrop 8.7 [7.8-8.9] / 8.3 [8.1-8.4], PCGrad 8.2 [8.0-9.1] / 8.2 [7.3-8.5],
 * IMTL-G 8.3 [7.0-9.6] / 8.2 [6.5-9.0], UPGrad 6.8 [6.5-7.9] / 6.8 [6.2-9.3], MGDA 4.9 [4.8-5.6] /
 * 5.2 [4.7-5.3], Nash-MTL 4.9 [4.5-5.6] / 4.9 [4.4-5.2], the LSTM 8.7 [7.6-8.7] / 8.9 [7.9-9.0]);
 * over 235 steps (`--epochs=3`, 4 rounds alternated, 01:03-01:26, load 14-29), steady steps on the
 * representation MGDA 5.5 [5.2-5.7] / 5.2 [4.6-6.4], Nash-MTL 5.3 [4.6-6.0] / 5.7 [5.4-6.1], IMTL-G
 * 5.0 [5.0-5.6] / 4.7 [4.4-5.8], on the parameters MGDA 7.9 [6.9-9.5] / 7.6 [7.2-8.6]; whole runs
 * 1,672 / 1,513, 1,644 / 1,670, 1,597 / 1,396, 2,244 / 2,064.
 * They train the same, bit for bit, run after run with Grappler off since their sums are written
 * in a fixed order (orderedSum.ts): `npm run test:determinism` (every gradient method in both
 * modes and recurrent graphs, 10 runs each, 4 inter-op threads) passed 5 times (the recurrent
 * cases 3), 2026-12-02 00:33-01:16, load 0.3-27.
 * A convolutional graph keeps TensorFlow's defaults: the CNN workload at batch 64 (2026-12-01
 * 18:09-18:28, load 22-45) saved 156 ms of first runs off (347 [303-379] against 191 [178-224]) but
 * its steady step may lose the remapper's fused Conv2D + BiasAdd + Relu: 54.7 [54.1-62.2] against
 * 59.6 [51.6-68.2], its whole run 2,183 [2,086-2,437] against 2,147 [1,888-2,484]: inside the noise,
 * so left as it was.
 */
export function grapplerForGraph(graph: { conv: boolean }): GrapplerMode {
  return graph.conv ? 'on' : 'off';
}

/** The serialized ConfigProto a session opens with for `mode` (none: TensorFlow's defaults). */
export function sessionConfigBytes(mode: GrapplerMode): Uint8Array | undefined {
  return mode === 'on' ? undefined : CONFIGS[mode];
}

/** The run log's and "Show environment"'s line: whether the config applies, and what chooses it. */
export function grapplerLine(sessionConfig: boolean, env: NodeJS.ProcessEnv = process.env): string {
  if (!sessionConfig) {
    return "Grappler: TensorFlow's defaults (this tfjs-node binding takes no session config; the one npm install builds against the wheel does)";
  }
  const forced = env.MTS_GRAPPLER;
  return `Grappler: ${forced ? `${forced} for every graph (MTS_GRAPPLER)` : 'chosen per graph (session config applies)'}`;
}

/**
 * MTS_GRAPPLER=on|no-mlir|off overrides the trainer's choice for every session (to compare the
 * modes, or to turn Grappler back on if a graph trains differently without it); anything else
 * is an error the run reports.
 */
export function grapplerOverride(env: NodeJS.ProcessEnv = process.env): GrapplerMode | undefined {
  const v = env.MTS_GRAPPLER;
  if (v === undefined || v === '') return undefined;
  if ((GRAPPLER_MODES as readonly string[]).includes(v)) return v as GrapplerMode;
  throw new Error(`MTS_GRAPPLER must be one of ${GRAPPLER_MODES.join(', ')}; got '${v}'`);
}
