// The files an insight command adds to a finished run folder: a Markdown page with its charts
// and the figures as JSON, each written atomically (the run's own files are left as they are).
import fs from 'node:fs';
import path from 'node:path';
import { RUN_FILES } from '../../core/runLayout';
import { writeFileAtomic } from '../artifacts/atomicWrite';

export interface InsightFiles<T> { result: T; files: string[] }

/** Writes a section as `<report>` (its charts under charts/) and the result as `<result>`, each atomically. */
export async function writeInsight(runDir: string, title: string, section: { lines: string[]; files: Array<{ path: string; content: string }> },
  result: unknown, names: { result: string; report: string }): Promise<string[]> {
  fs.mkdirSync(path.join(runDir, RUN_FILES.charts), { recursive: true });
  for (const f of section.files) await writeFileAtomic(path.join(runDir, f.path), f.content);
  await writeFileAtomic(path.join(runDir, names.report), [`# ${title}`, '', ...section.lines].join('\n'));
  await writeFileAtomic(path.join(runDir, names.result), JSON.stringify(result, null, 2));
  return [names.result, names.report, ...section.files.map((f) => f.path)];
}

