// `mts export`: one entry per format. Keras and the notebook are ours (keras/); ONNX is the
// onnx export's (exportOnnx(runDir, outFile)), joined here when that branch is merged.
import path from 'node:path';
import { exportKeras, ExportError, type ExportResult } from './keras/exportKeras';

export { ExportError } from './keras/exportKeras';
export const EXPORT_FORMATS = ['keras', 'notebook', 'onnx'] as const;
export type ExportTarget = typeof EXPORT_FORMATS[number];
export const isExportTarget = (v: string): v is ExportTarget => (EXPORT_FORMATS as readonly string[]).includes(v);

export interface ExportOutcome extends Partial<ExportResult> { files: string[] }

export interface ExportPlaces { outDir: string; allowedRoots?: string[]; workspaceDir?: string }

export async function exportExperiment(source: string, to: ExportTarget, places: ExportPlaces): Promise<ExportOutcome> {
  const { outDir } = places;
  switch (to) {
    case 'keras':
    case 'notebook': {
      const r = await exportKeras({ source, format: to, ...places });
      return { ...r, files: [r.packageDir, ...(r.notebook ? [r.notebook] : [])] };
    }
    case 'onnx':
      // ONNX: dispatch to exportOnnx(runDir, path.join(outDir, 'model.onnx')) from the onnx branch here.
      throw new ExportError(`--to onnx is not built in this branch (it writes ${path.join(outDir, 'model.onnx')} once the ONNX export is merged).`);
  }
}
