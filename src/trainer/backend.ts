// Backend selection: native TensorFlow -> WebAssembly -> plain JavaScript CPU.
// Each backend is only required when it is tried, so a broken native library costs one
// failed require, never a crash of a process that does not train.
import os from 'node:os';
import type * as TF from '@tensorflow/tfjs';
import type { BackendName, BackendPreference } from '../core/protocol';
import { interOpThreadsFor } from './threads';
import { grapplerLine } from './graph/sessionConfig';

export type Tf = typeof TF;

export interface LoadedBackend {
  tf: Tf;
  name: BackendName;
  versions: Record<string, string>;
  threads: number;
  /** Why a preferred backend was passed over, for the log and run.json. */
  fallbacks: string[];
  /** WebAssembly only: which of its builds loaded (SIMD, threads). */
  wasm?: WasmFeatures;
  /** Native only: whether TensorFlow's oneDNN kernels (and their memory pool) are on (oneDnn.ts). */
  oneDnn?: boolean;
  /** Native only: whether TensorFlow loaded with one intra-op thread and an inter-op pool of two or more, which a fused step in halves runs on (threads.ts `stepHalvesFor`). */
  stepHalves?: boolean;
  /** Native only: whether the binding opens graph sessions with a config (ours, built by scripts/postinstall.mjs; graph/sessionConfig.ts). */
  sessionConfig?: boolean;
}

export interface WasmFeatures {
  simd: boolean;
  /** Whether the threaded build loaded; tfjs-backend-wasm 4.22 never starts it under Node (tensorflow/tfjs#3830). */
  threads: boolean;
  /** Threads its kernels run on. */
  threadCount: number;
}

const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export const BACKEND_NAMES: readonly BackendName[] = ORDER;

export function isBackendPreference(v: string): v is BackendPreference {
  return v === 'auto' || (ORDER as string[]).includes(v);
}

export interface BackendOptions {
  /** TensorFlow intra-op threads (native only; read when the library loads). A user's TF_NUM_INTRAOP_THREADS wins. */
  intraOpThreads?: number;
  /** TensorFlow's oneDNN kernels (native only; read when the library loads; oneDnn.ts): false turns them off. A user's TF_ENABLE_ONEDNN_OPTS wins. */
  oneDnn?: boolean;
  /** A fused step in halves (threads.ts `stepHalvesFor`): with one intra-op thread, an inter-op pool of two. A user's TF_NUM_INTEROP_THREADS wins. */
  stepHalves?: boolean;
}

/** Whether TensorFlow loaded with its oneDNN kernels in this process (decided by its first load). */
let oneDnnAtLoad: boolean | undefined;
/** Whether TensorFlow's thread settings at this process' first load suit a step in halves. */
let stepHalvesAtLoad: boolean | undefined;

async function tryLoad(name: BackendName, opts: BackendOptions): Promise<Omit<LoadedBackend, 'fallbacks'>> {
  if (name === 'tensorflow') {
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    if (opts.intraOpThreads) process.env.TF_NUM_INTRAOP_THREADS ||= String(opts.intraOpThreads);
    // The switch is read as the library loads: the first load of the process decides it.
    if (oneDnnAtLoad === undefined) {
      if (opts.oneDnn === false) process.env.TF_ENABLE_ONEDNN_OPTS ||= '0';
      // TensorFlow's own reading of the switch: off for 0 or false, on otherwise (and when unset).
      oneDnnAtLoad = !['0', 'false'].includes((process.env.TF_ENABLE_ONEDNN_OPTS ?? '').toLowerCase());
    }
    const oneDnn = oneDnnAtLoad;
    const threads = Number(process.env.TF_NUM_INTRAOP_THREADS) || os.availableParallelism();
    const interOp = interOpThreadsFor(Number(process.env.TF_NUM_INTRAOP_THREADS) || undefined, !!opts.stepHalves);
    if (interOp !== undefined) process.env.TF_NUM_INTEROP_THREADS ||= String(interOp);
    // Read by TensorFlow at the process' first session: the first load decides.
    stepHalvesAtLoad ??= threads === 1 && Number(process.env.TF_NUM_INTEROP_THREADS) >= 2;
    const stepHalves = stepHalvesAtLoad;
    const tf = require('@tensorflow/tfjs-node') as Tf;
    await tf.ready();
    if (tf.getBackend() !== 'tensorflow') throw new Error(`tfjs-node loaded but the backend is ${tf.getBackend()}`);
    const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string; loadSavedModelWithConfig?: unknown } }).binding;
    const sessionConfig = typeof binding?.loadSavedModelWithConfig === 'function';
    return { tf, name, threads, oneDnn, stepHalves, sessionConfig, versions: { ...tf.version, tensorflow: binding?.TF_Version ?? 'unknown', node: process.versions.node } };
  }
  const tf = require('@tensorflow/tfjs') as Tf;
  if (name === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number; version_wasm: string };
    if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend did not initialise');
    // The backend picked its build from these flags (the SIMD build, the threaded one) when it initialised.
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    const threadCount = threaded ? wasm.getThreadsCount() : 1;
    return { tf, name, threads: threadCount, wasm: { simd, threads: threaded, threadCount },
      versions: { ...tf.version, 'tfjs-backend-wasm': wasm.version_wasm, node: process.versions.node } };
  }
  await tf.setBackend('cpu');
  return { tf, name, threads: 1, versions: { ...tf.version, node: process.versions.node } };
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}

/**
 * Loads the preferred backend. "auto" walks the order; a named backend is required
 * (no silent fall-back: a user or CI that asks for native must not get wasm).
 */
export async function loadBackend(preference: BackendPreference, opts: BackendOptions = {}): Promise<LoadedBackend> {
  if (preference !== 'auto') {
    try {
      return { ...(await tryLoad(preference, opts)), fallbacks: [] };
    } catch (err) {
      throw new Error(`The ${preference} backend could not be loaded: ${describe(err)}`);
    }
  }
  const fallbacks: string[] = [];
  for (const name of ORDER) {
    try {
      return { ...(await tryLoad(name, opts)), fallbacks };
    } catch (err) {
      fallbacks.push(`${name}: ${describe(err)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could be loaded (${fallbacks.join('; ')})`);
}

/** Lines for `mts info` and the "Show environment" command. */
export function describeBackend(b: LoadedBackend): string[] {
  const lines = [`backend: ${b.name}`, `threads: ${b.threads}`];
  if (b.oneDnn !== undefined) lines.push(`oneDNN kernels: ${b.oneDnn ? 'on' : 'off'}`);
  if (b.sessionConfig !== undefined) lines.push(grapplerLine(b.sessionConfig));
  if (b.wasm) {
    lines.push(`wasm SIMD: ${b.wasm.simd ? 'loaded' : 'not supported by this runtime (the plain build runs, slower)'}`);
    lines.push(`wasm threads: ${b.wasm.threads ? `loaded, ${b.wasm.threadCount} threads` : 'not loaded (tfjs-backend-wasm runs one thread under Node and Electron)'}`);
  }
  for (const [k, v] of Object.entries(b.versions).sort()) lines.push(`${k}: ${v}`);
  for (const f of b.fallbacks) lines.push(`passed over: ${f}`);
  return lines;
}
