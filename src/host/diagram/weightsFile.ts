// Reads a TensorFlow.js layers-format model (model.json + its weight shards) into plain
// typed arrays, without tfjs: the weightsManifest lists groups of shard files; the shards of
// all groups, concatenated in order, hold the weights back to back in manifest order.
// Quantized weights (uint8/uint16 with scale and min, float16) are expanded to float32.
// No vscode import (unit-tested).
import fs from 'node:fs';
import path from 'node:path';

export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

export interface ManifestGroup { paths: string[]; weights: ManifestEntry[] }

export interface WeightTensor {
  name: string;
  /** Layer the weight belongs to: the name up to its last '/' (trunk1/kernel -> trunk1). */
  layer: string;
  shape: number[];
  values: Float32Array;
}

export class WeightsFormatError extends Error {}

const elements = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

export function layerOfWeight(name: string): string {
  const cut = name.lastIndexOf('/');
  return cut > 0 ? name.slice(0, cut) : name;
}

export function parseManifest(modelJson: unknown): ManifestGroup[] {
  const manifest = (modelJson as { weightsManifest?: unknown } | undefined)?.weightsManifest;
  if (!Array.isArray(manifest)) throw new WeightsFormatError('model.json has no weightsManifest (not a TensorFlow.js layers model)');
  return manifest.map((g: { paths?: unknown; weights?: unknown }, i) => {
    if (!Array.isArray(g?.paths) || !g.paths.every((p) => typeof p === 'string') || !Array.isArray(g.weights)) {
      throw new WeightsFormatError(`weightsManifest[${i}] needs "paths" and "weights"`);
    }
    for (const w of g.weights as ManifestEntry[]) {
      if (typeof w?.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw new WeightsFormatError(`weightsManifest[${i}] has a weight without a name or shape`);
      }
    }
    return { paths: g.paths as string[], weights: g.weights as ManifestEntry[] };
  });
}

function bytesPerElement(w: ManifestEntry): number {
  const q = w.quantization?.dtype;
  if (q) return q === 'uint8' ? 1 : 2;
  switch (w.dtype) {
    case 'float32': case 'int32': return 4;
    case 'bool': return 1;
    default: throw new WeightsFormatError(`weight ${w.name} has dtype ${w.dtype}, which cannot be read here`);
  }
}

/** IEEE half precision to a JavaScript number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decode(w: ManifestEntry, view: DataView, offset: number, n: number): Float32Array {
  const out = new Float32Array(n);
  const q = w.quantization;
  if (q?.dtype === 'uint8' || q?.dtype === 'uint16') {
    const scale = q.scale ?? 1, min = q.min ?? 0;
    for (let i = 0; i < n; i++) out[i] = (q.dtype === 'uint8' ? view.getUint8(offset + i) : view.getUint16(offset + 2 * i, true)) * scale + min;
  } else if (q?.dtype === 'float16') {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(offset + 2 * i, true));
  } else if (w.dtype === 'float32') {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(offset + 4 * i, true);
  } else if (w.dtype === 'int32') {
    for (let i = 0; i < n; i++) out[i] = view.getInt32(offset + 4 * i, true);
  } else {
    for (let i = 0; i < n; i++) out[i] = view.getUint8(offset + i);
  }
  return out;
}

/** Decodes the weights of one manifest from the concatenated bytes of its shards. */
export function decodeWeights(groups: ManifestGroup[], data: Uint8Array): WeightTensor[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: WeightTensor[] = [];
  let offset = 0;
  for (const g of groups) {
    for (const w of g.weights) {
      const n = elements(w.shape);
      const size = n * bytesPerElement(w);
      if (offset + size > data.byteLength) {
        throw new WeightsFormatError(`the weight files end early: ${w.name} needs bytes ${offset}..${offset + size}, there are ${data.byteLength}`);
      }
      out.push({ name: w.name, layer: layerOfWeight(w.name), shape: w.shape, values: decode(w, view, offset, n) });
      offset += size;
    }
  }
  return out;
}

/** Reads <dir>/model.json and its shards (paths relative to model.json, never outside its folder). */
export function readLayersModel(modelJsonPath: string): WeightTensor[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8'));
  } catch (err) {
    throw new WeightsFormatError(`cannot read ${path.basename(modelJsonPath)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const groups = parseManifest(json);
  const dir = path.dirname(modelJsonPath);
  const chunks: Buffer[] = [];
  for (const g of groups) {
    for (const p of g.paths) {
      const file = path.resolve(dir, p);
      if (path.relative(dir, file).startsWith('..')) throw new WeightsFormatError(`weight file ${p} is outside the model folder`);
      try {
        chunks.push(fs.readFileSync(file));
      } catch {
        throw new WeightsFormatError(`weight file ${p} is missing`);
      }
    }
  }
  return decodeWeights(groups, new Uint8Array(Buffer.concat(chunks)));
}
