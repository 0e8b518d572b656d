// The table of task-weighting methods. Adding a method: one file in this folder exporting a
// `WeightingMethod` (description + rule), one line in METHODS, and its hand-worked test;
// the spec type, the schema, the designer's picker and the trainer follow from here.
import { obj, oneOf, type ObjectSchema } from '../docSchema';
import { alignedMtl } from './alignedMtl';
import { cagrad } from './cagrad';
import { dwa } from './dwa';
import { equal } from './equal';
import { famo } from './famo';
import { gls } from './gls';
import { graddrop } from './graddrop';
import { gradnorm } from './gradnorm';
import { gradvac } from './gradvac';
import { imtlg } from './imtlg';
import { GRADIENT_MODES, type GradientMode, type WeightingDescription, type WeightingMethod } from './method';
import { mgda } from './mgda';
import { nashMtl } from './nashMtl';
import { pcgrad } from './pcgrad';
import { rlw } from './rlw';
import { staticWeights } from './static';
import { uncertainty } from './uncertainty';
import { upgrad } from './upgrad';

const METHODS = [
  equal, staticWeights, uncertainty,
  dwa, rlw, gradnorm, famo, gls,
  mgda, pcgrad, gradvac, imtlg, graddrop,
  upgrad, cagrad, nashMtl, alignedMtl,
] as const;

type Method = (typeof METHODS)[number];
type SpecOf<M> = M extends WeightingMethod<infer P, infer I> ? { method: I; mode?: GradientMode } & Partial<P> : never;

/** `training.weighting`: a method id and that method's parameters (each has a default). */
export type WeightingSpec = SpecOf<Method>;
export type WeightingId = WeightingSpec['method'];

export const WEIGHTING_METHODS: readonly WeightingMethod[] = METHODS as unknown as readonly WeightingMethod[];

/** The method with this id, or undefined (own keys only: "constructor" is no method). */
export function weightingMethod(id: string): WeightingMethod | undefined {
  return WEIGHTING_METHODS.find((m) => m.description.id === id);
}

/** A method's parameters as the run uses them: the spec's values over the defaults. */
export function weightingParams(d: WeightingDescription, spec: Record<string, unknown> | undefined): Record<string, number | string> {
  const out: Record<string, number | string> = { ...d.defaults };
  for (const k of Object.keys(d.params)) {
    const v = spec?.[k];
    if (typeof v === 'number' || typeof v === 'string') out[k] = v;
  }
  return out;
}

/** The gradient family's mode for a spec (default: on the shared parameters). */
export function gradientMode(spec: { mode?: GradientMode } | undefined): GradientMode {
  return spec?.mode ?? 'parameters';
}

/** A short name of the weighting as it ran, for headers: "pcgrad (shared representation)". */
export function weightingLabel(spec: { method?: unknown; mode?: unknown } | undefined): string {
  const id = typeof spec?.method === 'string' ? spec.method : 'equal';
  if (weightingMethod(id)?.description.family !== 'gradient') return id;
  return `${id} (shared ${spec?.mode === 'representation' ? 'representation' : 'parameters'})`;
}

/** The schema's variants of `training.weighting`, one per method. */
export function weightingVariants(): Record<string, ObjectSchema> {
  return Object.fromEntries(WEIGHTING_METHODS.map((m) => {
    const d = m.description;
    const mode: Record<string, ObjectSchema['properties'][string]> = d.family === 'gradient'
      ? { mode: oneOf(GRADIENT_MODES, '"parameters": task gradients on the shared layers\' weights (one backward pass per task); "representation": on the shared layers\' output, one backward pass through the trunk (cheaper). Default parameters.') }
      : {};
    return [d.id, obj(`${d.summary} Paper: ${d.paper}`, { ...d.params, ...mode })];
  }));
}
