// select in the compiled step: column `index` of a block's output [n, columns, ...] by one
// GatherV2; its gradient is that column padded with zeros to the others (the block adds up
// what each of its selects hands back).
import type { SelectLayer } from '../../core/spec';
import type { BlockOps } from './blockOps';
import type { NativeLayer } from './layer';

/** `columns`: the input's column count. */
export function nativeSelect(bo: BlockOps, l: SelectLayer, columns: number): NativeLayer {
  return {
    forward: (x) => bo.column(x, l.index),
    backward: (gy, _x, _y, wantInput) => ({ ...(wantInput ? { input: bo.placeColumn(gy, l.index, columns) } : {}), params: [] }),
    params: () => [],
  };
}
