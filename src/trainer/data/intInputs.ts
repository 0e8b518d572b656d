// An input declared `dtype: "int32"` (ids fed to an embedding) is cast on the device, which
// rounds: a scaled or measured feature would be silently changed. Such an input is refused
// unless every value it receives is a whole number (after imputation and preprocessing).
import type { InputSpec } from '../../core/spec';
import { clip } from './cells';
import type { Dataset } from './dataset';
import { featureSize } from './dataset';
import { DataError } from './errors';

export function checkIntegerInputs(inputs: readonly InputSpec[], splits: readonly Dataset[], preprocessed: boolean): void {
  inputs.forEach((input, i) => {
    if (input.dtype !== 'int32') return;
    for (const ds of splits) {
      const d = featureSize(ds);
      const columns = input.features ? input.features.map((name) => ds.featureNames.indexOf(name)) : Array.from({ length: d }, (_, j) => j);
      for (const j of columns) {
        if (j < 0) continue; // an unknown feature is reported where the input is built
        for (let r = 0; r < ds.n; r++) {
          const v = ds.features[r * d + j] as number;
          if (Number.isInteger(v)) continue;
          const name = clip(ds.featureNames[j] as string);
          throw new DataError(`Input '${clip(input.id)}' has dtype int32, but its feature '${name}' holds values that are not whole numbers` +
            `${preprocessed ? ' after data.preprocess' : ''}; int32 would round them. Use dtype float32 for measured or scaled features` +
            `${preprocessed ? `, or leave '${name}' out of the preprocessing ("columns")` : ''}; int32 is for ids fed to an embedding.`, ['model', 'inputs', i, 'dtype']);
        }
      }
    }
  });
}
