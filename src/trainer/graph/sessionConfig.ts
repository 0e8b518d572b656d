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
 * convLayers.ts (`conv`: convolution, pooling, batch norm, flatten, reshape). The dense reference workload at batch 256 (bench/firstEpochProbe.ts, MTS_GRAPPLER
 * alternating on, fuse-only, off, 3 rounds, 2026-12-01 15:08-15:11, load 24-25), medians of CPU ms:
 * the four fetch sets' first runs 130 on, 101 fuse-only, 54 off; steady steps 900, 963, 787
 * (inside the noise: off is not slower without the remapper's fused MatMul); whole run 1,167, 1,250, 987.
 * Gradient methods and recurrent graphs, the same probe (`--weighting=`, `--workload=`), on
 * against off alternated, 3 rounds, 2026-12-01 18:09-18:28, load 22-45, medians [ranges] of CPU ms:
 * first runs of the fetch sets, GradDrop on the shared parameters 302 [243-336] against 80 [79-109],
 * PCGrad on the parameters 165 [145-171] against 59 [54-66], MGDA on the representation 128
 * [120-162] against 50 [49-52], Nash-MTL on the representation 181 [168-192] against 60 [54-64]
 * (dense reference, batch 256, 235 steps), LSTM workload at batch 64 515 [424-532] against 92
 * [88-102]; steady steps inside the noise (GradDrop 8.1 [7.9-8.6] against 8.5 [7.1-8.8], PCGrad
 * 7.9 [7.3-8.3] against 7.9 [6.4-8.0], MGDA 4.4 [4.3-5.0] against 4.7 [4.5-5.0], Nash-MTL 4.7
 * [4.5-5.2] against 4.8 [4.4-5.0], LSTM 8.5 [7.9-9.7] against 8.3 [7.8-9.2]). Each trains the same,
 * bit for bit, run after run with Grappler off (graphDeterminism.test.ts; GradDrop's 7th-digit
 * difference seen once without Grappler did not come back, with GradDrop's graph of then or of now).
 * A convolutional graph keeps TensorFlow's defaults: the CNN workload at batch 64 (same minutes)
 * saved 156 ms of first runs off (347 [303-379] against 191 [178-224]) but its steady step may lose
 * the remapper's fused Conv2D + BiasAdd + Relu: 54.7 [54.1-62.2] against 59.6 [51.6-68.2], its
 * whole run 2,183 [2,086-2,437] against 2,147 [1,888-2,484]: inside the noise, so left as it was.
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
