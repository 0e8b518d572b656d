// Letting go of a run's host copy of its features once they are on the device: the largest
// array of a run (digits-parity: 30 MB as float32) is otherwise held twice, on the host and in
// TensorFlow, for the whole run. Dropping the references is not enough on its own: V8 frees an
// array's memory only in a full collection, which a run's small JavaScript heap seldom needs,
// so training would grow on top of the dead copy. One collection right then returns it.
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Dataset } from './dataset';

/**
 * The features of these data sets are no longer read on the host (they are on the device, no
 * later fold or study run reads them): they are released and collected. Reading them afterwards
 * is a bug, so it throws rather than see an empty array.
 */
export function releaseFeatures(...sets: Dataset[]): void {
  for (const ds of sets) {
    Object.defineProperty(ds, 'features', {
      get: () => { throw new Error('These features were released after their upload to the device (releaseFeatures): read the device tensors.'); },
      configurable: true,
      enumerable: true,
    });
  }
  collectGarbage();
}

let gc: (() => void) | null | undefined;

/** A full V8 collection, without a --expose-gc flag on the process (the way Jest finds leaks); nothing where it is unavailable. */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      if (typeof globalThis.gc !== 'function') v8.setFlagsFromString('--expose-gc');
      gc = (typeof globalThis.gc === 'function' ? globalThis.gc : vm.runInNewContext('gc')) as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
