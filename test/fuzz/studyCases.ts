// Malformed study files (`*.mtl-study.json`, run by `mts study`): a small good study of the
// tabular base (one repeat, the experiment as designed) with one or two of its fields set to a
// bad value, removed, or the text cut. Each mutation says which field a refusal must name.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { bases } from './generators';

export type StudyMutation =
  | { op: 'set'; path: string[]; value: string }
  | { op: 'delete'; key: 'name' | 'experiment' | 'variants' | 'repeats' }
  | { op: 'truncate'; at: number };

export interface StudyCase { mutations: StudyMutation[] }

/** Bad (and a few good but odd) values per field, as JSON text. */
const VALUES: Array<[string[], string[]]> = [
  [['repeats'], ['0', '-1', '1.5', '101', '1e999', '"3"', 'null', 'true', '1e9', '2']],
  [['crossValidation'], ['{"folds":1}', '{"folds":101}', '{"folds":2,"test":"x"}', '{}', '"abc"', '{"folds":1e9}', '{"folds":2.5}', '{"folds":2}', '{"folds":2,"test":"nested"}']],
  [['variants', 'branchDepths'], ['[0]', '[]', '[1,1]', '[1e9]', '"yes"', '[99]', '[1.5]', '[-1]', 'null', 'true']],
  [['variants', 'weighting'], ['[{"method":"nope"}]', '[{}]', '[{"method":"pcgrad","extra":1}]', '"pcgrad"', '[null]', '[]', '[{"method":"__proto__"}]']],
  [['variants', 'architectures'], ['["nope"]', '["mmoe","mmoe"]', '[1]', '"mmoe"', '["__proto__"]']],
  [['variants', 'groupings'], ['[[["x"]]]', '[[["readmitted"],["readmitted"]]]', '[[["readmitted"]]]', '[[[]]]', '[[["readmitted"],["nope"]]]', '[[["readmitted","stay"]]]', '[[["readmitted"],["stay"],["stay"]]]', '[[["readmitted"],["stay"]]]']],
  [['variants'], ['{}', '{"singleTask":false,"asDesigned":false}', '[]', 'null', '{"singleTask":"yes"}']],
  [['experiment'], ['""', '"nope.mtl.json"', '"/etc/passwd"', '"../../../../etc/hostname"', '"broken.mtl.json"', '"data.csv"', '"sub"', '"study.mtl-study.json"', '5', 'null', '"/proc/self/environ"']],
  [['name'], ['""', '5', 'null']],
  [['description'], ['5', '[]']],
  [['$schema'], ['5']],
  [['__proto__'], ['{}', '{"repeats":1}']],
  [['extra'], ['1']],
];

export const studyMutationArb: fc.Arbitrary<StudyMutation> = fc.oneof(
  { arbitrary: fc.constantFrom(...VALUES).chain(([p, values]) => fc.record({ op: fc.constant('set' as const), path: fc.constant(p), value: fc.constantFrom(...values) })), weight: 8 },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom('name' as const, 'experiment' as const, 'variants' as const, 'repeats' as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat({ max: 400 }) }), weight: 1 },
);

export const studyCaseArb: fc.Arbitrary<StudyCase> = fc.record({ mutations: fc.array(studyMutationArb, { minLength: 1, maxLength: 2 }) });

/** The field a refusal of this mutation must name ("variants.groupings"); undefined when only a position can be named (cut text). */
export function fieldOf(m: StudyMutation): string | undefined {
  if (m.op === 'truncate') return undefined;
  if (m.op === 'delete') return m.key;
  return m.path.slice(0, 2).join('.');
}

export const STUDY_FILE = 'study.mtl-study.json';

/** Writes the study, its experiment (2 epochs), the data, a broken experiment and a sub-folder into `dir`. */
export function writeStudyCase(c: StudyCase, dir: string): string[] {
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  const base = bases().find((b) => b.name === 'tabular-csv')!;
  const experiment = JSON.parse(JSON.stringify(base.doc));
  experiment.training.epochs = 2;
  fs.writeFileSync(path.join(dir, 'experiment.mtl.json'), JSON.stringify(experiment, null, 2));
  fs.writeFileSync(path.join(dir, 'broken.mtl.json'), '{ "name": ');
  fs.writeFileSync(path.join(dir, 'data.csv'), `${base.csvLines!.join('\n')}\n`);
  // Values stay JSON text, so that 1e999 and a "__proto__" key reach the file as written.
  const fields = new Map<string, string>([['name', '"fuzz"'], ['experiment', '"experiment.mtl.json"'], ['repeats', '1']]);
  const variants = new Map<string, string>([['singleTask', 'false']]);
  let variantsText: string | undefined;
  let cut: number | undefined;
  const recipe: string[] = [];
  for (const m of c.mutations) {
    if (m.op === 'delete') {
      if (m.key === 'variants') variantsText = '';
      else fields.delete(m.key);
      recipe.push(`delete ${m.key}`);
    } else if (m.op === 'truncate') {
      cut = m.at;
      recipe.push(`cut the text at character ${m.at}`);
    } else {
      if (m.path[0] === 'variants' && m.path.length === 2) variants.set(m.path[1]!, m.value);
      else if (m.path[0] === 'variants') variantsText = m.value;
      else fields.set(m.path[0]!, m.value);
      recipe.push(`set ${m.path.join('.')} = ${m.value}`);
    }
  }
  const entries = [...fields].map(([k, v]) => `  ${JSON.stringify(k)}: ${v}`);
  if (variantsText !== '') entries.push(`  "variants": ${variantsText ?? `{ ${[...variants].map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')} }`}`);
  const text = `{\n${entries.join(',\n')}\n}\n`;
  fs.writeFileSync(path.join(dir, STUDY_FILE), cut === undefined ? text : text.slice(0, cut % text.length));
  return recipe;
}
