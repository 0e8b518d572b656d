// The one-line summary of a node's settings shown on the canvas ("128 units · relu",
// "16 filters · 3×3 · stride 2 · same"). Reads defensively: the document may be half-typed.
// A select says what its column is, from the block it reads: "column 0" was jargon on the card.
import { formatShape } from '../../src/core/wording';

type Raw = Record<string, unknown>;

const size = (v: unknown): string | undefined => {
  if (typeof v === 'number') return `${v}×${v}`;
  if (Array.isArray(v) && v.length === 2) return `${String(v[0])}×${String(v[1])}`;
  return undefined;
};
const shape = (v: unknown): string | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? formatShape(v as number[]) : undefined);
const units = (v: unknown): string => `${String(v)} unit${v === 1 ? '' : 's'}`;
const has = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/**
 * What a select's column holds, by the block it reads (`source`, the layer in its "from"): a
 * gated block's column i is gate i's mix of the experts (mmoe; ple's gate i also weighs task
 * i's own experts); the other blocks pass task columns on.
 */
function selectSummary(index: unknown, source: Raw | undefined): string {
  const i = String(index);
  switch (source?.type) {
    case 'mmoe': case 'ple': return `gate ${i}'s mix of experts`;
    case 'parallelDense': case 'crossStitch': return `task column ${i}`;
    default: return `column ${i}`;
  }
}

/** `source`: the layer the node reads first, if known (a select's summary names what it picks). */
export function settingsSummary(node: object, source?: object): string {
  const n = node as Raw;
  const parts: Array<string | undefined> = [];
  const add = (cond: unknown, text: string | undefined): void => { if (has(cond) && text) parts.push(text); };
  switch (n.type) {
    case undefined: // an input
      add(n.shape, shape(n.shape));
      add(n.dtype, String(n.dtype));
      add(n.features, Array.isArray(n.features) ? `${n.features.length} features` : undefined);
      break;
    case 'dense':
      add(n.units, units(n.units));
      add(n.activation, String(n.activation));
      add(n.useBias === false ? 1 : undefined, 'no bias');
      add(n.l2, `L2 ${String(n.l2)}`);
      break;
    case 'conv2d':
      add(n.filters, `${String(n.filters)} filters`);
      add(n.kernelSize, size(n.kernelSize));
      add(n.strides, `stride ${size(n.strides)?.replace(/^(\d+)×\1$/, '$1') ?? '?'}`);
      add(n.padding, String(n.padding));
      add(n.activation, String(n.activation));
      break;
    case 'maxPooling2d':
    case 'averagePooling2d':
      parts.push(`pool ${size(n.poolSize ?? 2) ?? '?'}`);
      add(n.strides, `stride ${size(n.strides)?.replace(/^(\d+)×\1$/, '$1') ?? '?'}`);
      add(n.padding, String(n.padding));
      break;
    case 'reshape':
      add(n.targetShape, `to ${shape(n.targetShape) ?? '?'}`);
      break;
    case 'dropout':
      add(n.rate, `rate ${String(n.rate)}`);
      break;
    case 'batchNormalization':
      add(n.momentum, `momentum ${String(n.momentum)}`);
      break;
    case 'lstm':
    case 'gru':
      add(n.units, units(n.units));
      add(n.returnSequences === true ? 1 : undefined, 'sequences');
      add(n.activation, String(n.activation));
      break;
    case 'embedding':
      add(n.inputDim, `${String(n.inputDim)} ids → ${String(n.outputDim ?? '?')}`);
      break;
    case 'concatenate':
      add(n.axis, `axis ${String(n.axis)}`);
      break;
    case 'mmoe':
      add(n.experts, `${String(n.experts)} experts`);
      add(n.tasks, `${String(n.tasks)} gates`);
      add(n.units, units(n.units));
      break;
    case 'ple': {
      const levels = typeof n.levels === 'number' ? n.levels : 1;
      parts.push(levels === 1 ? 'CGC' : `${levels} levels`);
      add(n.sharedExperts, `${String(n.sharedExperts)} shared + ${String(n.taskExperts ?? '?')}/task experts`);
      add(n.units, units(n.units));
      break;
    }
    case 'parallelDense':
      add(n.columns, `${String(n.columns)} columns`);
      add(n.units, units(n.units));
      add(n.activation, String(n.activation));
      add(n.tieL2, `tied L2 ${String(n.tieL2)}`);
      break;
    case 'crossStitch':
      add(n.selfWeight, `alpha ${String(n.selfWeight)} self`);
      break;
    case 'select':
      add(n.index, selectSummary(n.index, source as Raw | undefined));
      break;
    default:
      break;
  }
  return parts.filter(Boolean).join(' · ');
}
