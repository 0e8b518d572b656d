// A fuzz campaign at one layer: fast-check generates `runs` cases from a seed; every case
// runs (the property never stops the campaign), its findings are grouped by signature
// (category, layer, message with the numbers and quoted names blurred), and for each
// signature its first case is replayed from its path and shrunk by fast-check to a smaller
// case with the same signature, within a budget of evaluations.
import fc from 'fast-check';
import fs from 'node:fs';
import { argsCaseArb, bases, caseArb, tagsOf, type ArgsCase, type FuzzCase } from './generators';
import { studyCaseArb, type StudyCase } from './studyCases';
import type { Category, Finding } from './oracle';
import { isPending, PENDING } from './pending';
import { runCase, type CaseResult, type Layer, type RunOptions } from './runner';

export interface Group {
  signature: string;
  category: Category;
  layer: string;
  message: string;
  count: number;
  tags: string[];
  /** fast-check replay: seed and path of the first case, then of the shrunk one. */
  seed: number;
  path: string;
  recipe: string[];
  shrunkPath?: string;
  shrunkRecipe?: string[];
  dir?: string;
}

export interface CampaignResult {
  layer: Layer;
  seed: number;
  cases: number;
  /** Cases that made a run folder (train layer). */
  trained: number;
  /** Findings left uncounted because pending.ts lists them. */
  pendingFindings: number;
  groups: Group[];
}

/**
 * Training cases get one experiment mutation (more would nearly always stop at validation,
 * before any run folder), and no chain longer than 50 layers: a 1,000-layer chain trains, but
 * takes ~90 s for one epoch and its baselines (the overflow of longer chains is found by the
 * cli layer already).
 */
export function arbFor(layer: Layer): fc.Arbitrary<FuzzCase | ArgsCase | StudyCase> {
  if (layer === 'args') return argsCaseArb;
  if (layer === 'study') return studyCaseArb;
  if (layer !== 'train') return caseArb(bases());
  return caseArb(bases().filter((b) => b.trainable), 1).filter((c) => !c.mutations.some((m) => m.op === 'chain' && m.length > 50));
}

const tagsOfAny = (c: FuzzCase | ArgsCase | StudyCase): string[] => ('base' in c ? [...tagsOf(c)] : 'command' in c ? ['cli-args'] : ['cli-study']);

export function signature(f: Finding): string {
  const blurred = f.message
    .replace(/\/tmp\/[^\s:'"`)]*/g, '<tmp>')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"')
    .replace(/\d+(\.\d+)?(e[+-]?\d+)?/gi, 'N')
    .slice(0, 90);
  return `${f.category} | ${f.layer} | ${blurred}`;
}

const SHRINK_BUDGET: Record<Layer, number> = { validate: 300, cli: 40, train: 8, args: 20, study: 8 };

export interface CampaignOptions {
  /** Findings not to count (pending.ts): they are tallied in `pendingFindings` instead. */
  isPending?: (f: Finding, caseTags: readonly string[]) => boolean;
  onCase?: (index: number, r: CaseResult | undefined) => void;
}

export async function campaign(layer: Layer, seed: number, runs: number, opts: RunOptions, co: CampaignOptions = {}): Promise<CampaignResult> {
  const arb = arbFor(layer);
  const groups = new Map<string, Group>();
  let index = 0;
  let cases = 0;
  let pendingFindings = 0;
  let trained = 0;
  const run = await fc.check(fc.asyncProperty(arb, async (c) => {
    const i = index++;
    const r = await runCase(c, layer, opts);
    co.onCase?.(i, r);
    if (!r) return true;
    cases++;
    if (r.trained) trained++;
    let kept = false;
    const seen = new Set<string>();
    const tags = tagsOfAny(c);
    for (const f of r.findings) {
      if (co.isPending?.(f, tags)) {
        pendingFindings++;
        continue;
      }
      const sig = signature(f);
      if (seen.has(sig)) continue;
      seen.add(sig);
      const g = groups.get(sig);
      if (g) g.count++;
      else {
        groups.set(sig, { signature: sig, category: f.category, layer: f.layer, message: f.message, count: 1, tags: tagsOfAny(c), seed, path: String(i), recipe: r.recipe, ...(r.dir ? { dir: r.dir } : {}) });
        kept = true;
      }
    }
    // Only the first case of each group keeps its files for the report.
    if (r.dir && !kept) fs.rmSync(r.dir, { recursive: true, force: true });
    return true;
  }), { seed, numRuns: runs });
  // The property never fails on a finding; a failure here is the harness itself throwing.
  if (run.failed) throw new Error(`fuzz harness failed at layer ${layer}, seed ${seed}, path ${run.counterexamplePath}: ${String(run.errorInstance)}`);
  for (const g of groups.values()) await shrink(g, layer, arb, opts);
  return { layer, seed, cases, trained, pendingFindings, groups: [...groups.values()].sort((a, b) => a.category.localeCompare(b.category) || b.count - a.count) };
}

/** Replays the group's first case from its path and lets fast-check shrink it, keeping the signature. */
async function shrink(g: Group, layer: Layer, arb: fc.Arbitrary<FuzzCase | ArgsCase | StudyCase>, opts: RunOptions): Promise<void> {
  let budget = SHRINK_BUDGET[layer];
  let lastRecipe: string[] | undefined;
  const quiet = { ...opts, keepFailing: false };
  const result = await fc.check(fc.asyncProperty(arb, async (c) => {
    if (budget-- <= 0) return true; // out of budget: stop shrinking at the smallest failing case so far
    const r = await runCase(c, layer, quiet);
    const same = !!r && r.findings.some((f) => signature(f) === g.signature);
    if (same) lastRecipe = r.recipe;
    return !same;
  }), { seed: g.seed, path: g.path, numRuns: 1 });
  if (result.failed && result.counterexamplePath) {
    g.shrunkPath = result.counterexamplePath;
    g.shrunkRecipe = lastRecipe;
  }
}

/** The report: counts per category, then each group with its replay and smallest recipe. */
export function reportText(results: CampaignResult[], categories: readonly Category[]): { text: string; counts: Record<Category, number> } {
  const counts = Object.fromEntries(categories.map((c) => [c, 0])) as Record<Category, number>;
  for (const r of results) for (const g of r.groups) counts[g.category] += g.count;
  const lines: string[] = [];
  lines.push(`cases: ${results.map((r) => `${r.layer} ${r.cases}${r.layer === 'train' ? ` (${r.trained} reached training)` : ''}`).join(', ')}`);
  lines.push(`findings (cases per category): ${categories.map((c) => `${c} ${counts[c]}`).join(', ')}`);
  for (const r of results) {
    for (const g of r.groups) {
      const known = PENDING.find((p) => isPending(g, g.tags, [p]));
      lines.push('', `[${g.category}] ${g.layer}: ${g.message}${known ? `   (pending: ${known.area} area, ${known.tag})` : ''}`);
      lines.push(`  ${g.count} case(s); tags of the first: ${g.tags.join(', ')}`);
      lines.push(`  replay: layer ${r.layer} seed ${g.seed} path ${g.path}${g.shrunkPath ? `; shrunk path ${g.shrunkPath}` : ''}`);
      for (const step of g.shrunkRecipe ?? g.recipe) lines.push(`    ${step}`);
      if (g.dir) lines.push(`  files: ${g.dir}`);
    }
  }
  return { text: lines.join('\n'), counts };
}
