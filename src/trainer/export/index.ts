// `mts export`: one entry per format: Keras and the notebook (keras/), ONNX (onnx.ts).
import fs from 'node:fs';
import path from 'node:path';
import { RUN_FILES } from '../../core/runLayout';
import { exportOnnx } from './onnx';
import { makeExportFolder } from './outFolder';
import { ExportCancelled } from './checkpoint';
import { ExportError } from './exportError';
import { exportKeras, type ExportResult } from './keras/exportKeras';

export { ExportCancelled, ExportError };
export const EXPORT_FORMATS = ['keras', 'notebook', 'onnx'] as const;
export type ExportTarget = typeof EXPORT_FORMATS[number];
export const isExportTarget = (v: string): v is ExportTarget => (EXPORT_FORMATS as readonly string[]).includes(v);

export interface ExportOutcome extends Partial<ExportResult> { files: string[] }

export interface ExportPlaces {
  outDir: string; allowedRoots?: string[]; workspaceDir?: string;
  /** Aborted (Ctrl+C): the export stops at its next checkpoint with ExportCancelled, nothing put in place. */
  signal?: AbortSignal;
}

export async function exportExperiment(source: string, to: ExportTarget, places: ExportPlaces): Promise<ExportOutcome> {
  const { outDir } = places;
  switch (to) {
    case 'keras':
    case 'notebook': {
      const r = await exportKeras({ source, format: to, ...places });
      return { ...r, files: [r.packageDir, ...(r.notebook ? [r.notebook] : [])] };
    }
    case 'onnx': {
      // The trained inference graph: a run folder's saved model, never an untrained experiment.
      if (!fs.existsSync(path.join(source, RUN_FILES.model, RUN_FILES.modelJson))) {
        throw new ExportError(`--to onnx exports a trained run: ${source} is not a run folder with ${RUN_FILES.model}/${RUN_FILES.modelJson} (train the experiment, then export its run folder).`);
      }
      const file = path.join(outDir, 'model.onnx');
      makeExportFolder(outDir);
      const { notes } = await exportOnnx(source, file, places.signal);
      return { files: [file], ...(notes ? { notes } : {}) };
    }
  }
}
