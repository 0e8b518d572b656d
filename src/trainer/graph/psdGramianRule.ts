// The core rules' normalizedPsd (core/weighting/psdGramian.ts) as graph ops, for the rules that
// solve on it (cagradRule.ts, upgradRule.ts): G scaled to a largest diagonal entry of 1, its
// negative eigenvalues set to 0. Float32 rounding leaves the Gramian of dependent gradients
// slightly indefinite; a PSD G comes back within rounding.
import type { Attr } from './graphDef';
import type { RuleOps } from './ruleState';

const D: Attr = { type: 'double' };

/**
 * G [k, k] (float64) normalised and made PSD (`psd`); `scale` its largest diagonal entry and
 * `live` whether that is positive (every gradient 0 otherwise: G is then divided by 1).
 */
export function normalizedPsdOnGraph(r: RuleOps, G: string): { psd: string; scale: string; live: string } {
  const zero = r.c(0);
  const scale = r.reduce('Max', r.diag(G));
  const live = r.gt(scale, zero);
  const scaled = r.bin('RealDiv', G, r.select(live, scale, r.c(1)));
  const eigen = r.g.op('SelfAdjointEigV2', [scaled], { T: D, compute_v: { b: true } }, `${r.at}/psd/eigen`);
  const vectors = `${eigen}:1`;
  const psd = r.g.op('MatMul', [r.bin('Mul', vectors, r.bin('Maximum', eigen, zero)), vectors], { T: D, transpose_a: { b: false }, transpose_b: { b: true } }, `${r.at}/psd/gramian`);
  return { psd, scale, live };
}
