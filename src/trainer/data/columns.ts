// Which columns a spec's data source offers, for validation and the designer, without loading
// the data (only a CSV's header is read). Free of tfjs and of the MNIST data itself.
import type { ExperimentSpec } from '../../core/spec';
import type { DataFolders } from './confine';
import { MNIST_PIXELS } from './mnist';
import { MULTIMNIST_SIDE } from './multimnist';
import { SYNTHETIC_DEFAULTS } from './syntheticCorrelated';
import { SEQUENCE_DEFAULTS } from './syntheticSequence';
import { readColumnNames } from './tabularFile';
import { IMAGE_TARGET } from './imageFolder';
import { readParquetColumns } from './parquet';

export interface DataColumns {
  /** Names a task may use as its `target` (and data.split.stratifyBy). */
  targets: string[];
  /** A csv's or a generated source's columns (core checkData reads them); sources whose features are not named (images, arrays) leave it out. */
  columns?: string[];
  /** Per-example feature shape, when known without reading the data (generated sources). */
  featureShape?: number[];
}

/** Throws a DataError when a data file is missing, unreadable or outside `allowedRoots` (confine.ts). */
export function datasetColumns(spec: Pick<ExperimentSpec, 'data'>, workspaceDir: string, allowedRoots?: string[]): DataColumns {
  const folders: DataFolders = { workspaceDir, ...(allowedRoots ? { allowedRoots } : {}) };
  const source = spec.data.source;
  switch (source.type) {
    case 'mnist': return { targets: ['label', 'parity', 'greaterThan4'], featureShape: [MNIST_PIXELS] };
    case 'multimnist': return { targets: ['left', 'right'], featureShape: [MULTIMNIST_SIDE, MULTIMNIST_SIDE, 1] };
    case 'synthetic-correlated': {
      const d = source.inputDim ?? SYNTHETIC_DEFAULTS.inputDim;
      return { targets: ['y1', 'y2'], columns: Array.from({ length: d }, (_, j) => `x${j}`), featureShape: [d] };
    }
    case 'synthetic-sequence': {
      const steps = source.steps ?? SEQUENCE_DEFAULTS.steps;
      return { targets: ['frequency', 'amplitude'], columns: Array.from({ length: steps }, (_, t) => `t${t}`), featureShape: [steps, 1] };
    }
    case 'csv':
    case 'jsonl': {
      const columns = readColumnNames(source, folders);
      return { targets: columns, columns };
    }
    case 'parquet': {
      const columns = readParquetColumns(source, folders);
      return { targets: columns, columns };
    }
    // Images and arrays name no feature columns; their shape is known once they are read.
    case 'imageFolder': return {
      targets: [IMAGE_TARGET],
      ...(source.size && source.channels !== undefined ? { featureShape: [...source.size, source.channels] } : {}),
    };
    case 'numpy': return { targets: Object.keys(source.targets ?? {}) };
  }
}
