// The Keras 3 export of an experiment as files (pure text from the spec; the trainer adds the
// data and the run's weights, trainer/export/keras/). The package layout:
//   <package>/__init__.py model.py blocks.py data.py losses.py weighting.py optimizers.py train.py weights.py
//   <package>/experiment.json  the spec, defaults filled in (train.py reads its settings)
//   <package>/data/            dataset.npz + columns.json (written by the trainer)
//   <package>/weights/         the run's model.json + weights.bin, when exported from a run
import type { ExperimentSpec } from '../../spec';
import { BLOCKS_PY } from './blocksPy';
import { DATA_PY } from './dataPy';
import { LOSSES_PY } from './lossesPy';
import { modelPy } from './modelPy';
import { notebookJson } from './notebook';
import { OPTIMIZERS_PY } from './optimizersPy';
import { TRAIN_PY } from './trainPy';
import { WEIGHTING_PY } from './weightingPy';
import { WEIGHTS_PY } from './weightsPy';

export { notebookJson } from './notebook';

/** A Python package name for an experiment: "digits-parity" -> "digits_parity". */
export function packageNameOf(experimentName: string): string {
  const base = experimentName.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^([^a-z_])/, 'x$1');
  return base || 'experiment';
}

/** The package's docstring: what it is, and the export's notes (what train.py does differently), one paragraph each. */
function initPy(spec: ExperimentSpec, hasWeights: boolean, notes: readonly string[]): string {
  const paragraphs = [`${spec.name}: a multi-task experiment exported from Multi-Task Studio to Keras 3${hasWeights ? ', with its run\'s trained weights' : ''}.`,
    ...notes.map((n) => `Note: ${n}`)];
  // Escaped so that no name or note can end the string early.
  return `"""${paragraphs.join('\n\n').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"""\n`;
}

/** The package's text files by path relative to the package folder; `notes` (kerasExportNotes, refusals of a run) go into its docstring. */
export function kerasPackageFiles(spec: ExperimentSpec, o: { hasWeights: boolean; notes?: readonly string[] }): Record<string, string> {
  return {
    '__init__.py': initPy(spec, o.hasWeights, o.notes ?? []),
    'model.py': modelPy(spec),
    'blocks.py': BLOCKS_PY,
    'data.py': DATA_PY,
    'losses.py': LOSSES_PY,
    'weighting.py': WEIGHTING_PY,
    'optimizers.py': OPTIMIZERS_PY,
    'train.py': TRAIN_PY,
    'weights.py': WEIGHTS_PY,
    'experiment.json': `${JSON.stringify(spec, null, 2)}\n`,
  };
}

export function notebookFor(spec: ExperimentSpec, packageName: string, hasWeights: boolean, notes: readonly string[] = []): string {
  return notebookJson({ packageName, experimentName: spec.name, hasWeights, notes });
}
