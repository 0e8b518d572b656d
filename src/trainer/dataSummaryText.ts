// A data summary as terminal lines (`mts data`): the same numbers the designer's preview shows.
import type { DataSummary, PerSplit } from '../core/dataSummary';
import { partiallyLabelled, SPLIT_NAMES } from '../core/dataSummary';

const count = (n: number): string => n.toLocaleString('en-US');
const total = (c: PerSplit<number>): number => c.train + c.validation + c.test;
const num = (v: number): string => String(Number(v.toPrecision(4)));

export function dataSummaryLines(s: DataSummary, seconds: number): string[] {
  const lines = [
    `${count(s.examples)} examples (${s.source}, loaded in ${seconds.toFixed(2)} s), features of shape [${s.featureShape.join(', ')}]`,
    `split: ${count(s.split.train)} train, ${count(s.split.validation)} validation, ${count(s.split.test)} test (seed ${s.split.seed}` +
      `${s.split.stratifiedBy !== undefined ? `, stratified by ${s.split.stratifiedBy}` : ''})`,
  ];
  for (const t of s.tasks) {
    lines.push(`task ${t.task} (${t.target}, ${t.kind}):`);
    if (partiallyLabelled(t.labelled, s.split)) {
      lines.push(`  labelled rows: ${SPLIT_NAMES.map((k) => `${count(t.labelled[k])} of ${count(s.split[k])} ${k}`).join(', ')}`);
    }
    if (t.kind === 'regression') {
      for (const k of SPLIT_NAMES) lines.push(`  ${k.padEnd(10)} n ${count(t.stats[k].n)}  min ${num(t.stats[k].min)}  mean ${num(t.stats[k].mean)}  max ${num(t.stats[k].max)}`);
      continue;
    }
    const all = t.classes.reduce((a, c) => a + total(c.counts), 0);
    const width = Math.max(...t.classes.map((c) => c.name.length));
    lines.push(`  ${''.padEnd(width)}  ${'all'.padStart(16)}  ${SPLIT_NAMES.map((k) => k.padStart(11)).join('')}`);
    for (const c of t.classes) {
      const n = total(c.counts);
      const share = `${count(n)} (${(all ? (n / all) * 100 : 0).toFixed(1)}%)`;
      lines.push(`  ${c.name.padEnd(width)}  ${share.padStart(16)}  ${SPLIT_NAMES.map((k) => count(c.counts[k]).padStart(11)).join('')}`);
    }
  }
  if (s.firstRows) {
    lines.push(`first rows of ${count(s.firstRows.totalRows)}:`, `  ${s.firstRows.columns.join(', ')}`);
    for (const r of s.firstRows.rows) lines.push(`  ${r.join(', ')}`);
  }
  if (s.samples) lines.push(`sample labels (${s.samples.images[0]?.labels.map((l) => l.task).join(' · ')}): ${s.samples.images.map((i) => i.labels.map((l) => l.value).join('·')).join('  ')}`);
  for (const note of s.notes) lines.push(`note: ${note}`);
  return lines;
}
