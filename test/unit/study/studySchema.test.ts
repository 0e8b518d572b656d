// schemas/study.schema.json is generated from core's description of the study file (regenerate:
// UPDATE_SCHEMA=1 node --test out/test/unit/study/studySchema.test.js); bad study files get
// messages at their JSON paths.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { checkStudy, studyJsonSchema } from '../../../src/core/study/studySchema';
import { ROOT } from '../trainer/helpers';

const file = join(ROOT, 'schemas', 'study.schema.json');
const generated = studyJsonSchema();
if (process.env.UPDATE_SCHEMA) writeFileSync(file, JSON.stringify(generated, null, 2) + '\n');
const shipped = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const examples = ['digits-parity', 'multimnist-cnn'].map((n) => JSON.parse(readFileSync(join(ROOT, 'examples', n, `${n}.mtl-study.json`), 'utf8')) as unknown);

describe('study file schema', () => {
  it('is up to date with the description in src/core/study, and VS Code is told to use it', () => {
    assert.deepEqual(shipped, generated, 'schemas/study.schema.json is stale: run the study schema test with UPDATE_SCHEMA=1');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } };
    assert.ok(pkg.contributes.jsonValidation.some((v) => v.fileMatch === '*.mtl-study.json' && v.url === './schemas/study.schema.json'));
  });

  it('accepts the example studies, in our check and in a real JSON Schema validator', () => {
    const ajv = new Ajv({ allErrors: true });
    ajv.addKeyword('defaultSnippets');
    const valid = ajv.compile(shipped);
    for (const doc of examples) {
      assert.deepEqual(checkStudy(doc).problems, []);
      assert.ok(valid(doc), JSON.stringify(valid.errors));
    }
  });

  it('says where a study file is wrong and what would be accepted', () => {
    const { spec, problems } = checkStudy({
      name: 'bad', experiment: 'x.mtl.json', repeats: 0,
      variants: { branchDepths: [0], architectures: ['moe'], weighting: [{ method: 'pcgard' }] },
    });
    assert.equal(spec, undefined);
    const at = (p: (string | number)[]) => problems.find((x) => JSON.stringify(x.path) === JSON.stringify(p))?.message ?? '';
    assert.match(at(['repeats']), /"repeats" must be an integer ≥ 1 and ≤ 100, got 0/);
    assert.match(at(['variants', 'architectures', 0]), /one of "crossStitch", "mmoe", "ple", got "moe"/);
    assert.match(at(['variants', 'weighting', 0, 'method']), /pcgrad/, 'a misspelt method gets a suggestion');
    assert.ok(problems.some((p) => p.path.join('.').startsWith('variants.branchDepths')), JSON.stringify(problems));
    const none = checkStudy({ name: 'n', experiment: 'x', variants: { singleTask: false, asDesigned: false } });
    assert.deepEqual(none.problems.map((p) => p.path), [['variants']]);
    assert.deepEqual(checkStudy({ name: 'n', variants: {} }).problems.map((p) => [p.path, p.message]), [[['experiment'], 'missing "experiment": The experiment (*.mtl.json) the variants are made from, relative to this file.']]);
  });
});
