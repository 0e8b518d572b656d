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
 * The mode a training graph's session opens with: Grappler off for a dense graph with a plain
 * step (loss weights, a loss-family method; its conflict measurement too). The dense reference
 * workload at batch 256 (bench/firstEpochProbe.ts, MTS_GRAPPLER alternating on, fuse-only, off,
 * 3 rounds, 2026-12-01 15:08-15:11, load 24-25), medians of CPU ms: the four fetch sets' first
 * runs 130 on, 101 fuse-only, 54 off; steady steps 900, 963, 787 (inside the noise: off is not
 * slower without the remapper's fused MatMul); whole run 1,167, 1,250, 987.
 * The rest keep TensorFlow's defaults: convolutional and recurrent graphs (unmeasured: their
 * fused kernels and larger graphs may gain more from the passes than they cost) and a gradient
 * method's graph (GradDrop's, IMTL-G's and UPGrad's on the shared parameters gave weights differing
 * in the 7th digit between identical runs without Grappler). Their cause, an AddN whose order
 * followed which op ran first, with Grappler on too, is gone (orderedSum.ts,
 * graphGradientDeterminism.test.ts); Grappler off for them waits on `npm run test:determinism`
 * passing on a quiet machine and the first-run figures measured again.
 */
export function grapplerForGraph(graph: { convOrRecurrent: boolean; gradient: boolean }): GrapplerMode {
  return graph.convOrRecurrent || graph.gradient ? 'on' : 'off';
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
