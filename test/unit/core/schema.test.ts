// schemas/experiment.schema.json is generated from core's description of the document.
// This test keeps the shipped file equal to it (regenerate: UPDATE_SCHEMA=1 node --test
// out/test/unit/core/schema.test.js) and checks the schema with a real JSON Schema validator.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { LAYER_TYPES } from '../../../src/core/experimentSchema';
import { experimentJsonSchema } from '../../../src/core/jsonSchema';
import { ROOT } from '../../repoRoot';
import { convTwoDigits, digitsParity, mixedInputs, sharingBlocks } from './fixtures';

const schemaFile = (): string => join(ROOT, 'schemas', 'experiment.schema.json');

const generated = experimentJsonSchema();
if (process.env.UPDATE_SCHEMA) writeFileSync(schemaFile(), JSON.stringify(generated, null, 2) + '\n');
const shipped = JSON.parse(readFileSync(schemaFile(), 'utf8')) as Record<string, any>;

function compile() {
  const ajv = new Ajv({ allErrors: true });
  ajv.addKeyword('defaultSnippets'); // VS Code's completion extension to JSON Schema
  return ajv.compile(shipped);
}

describe('experiment JSON Schema', () => {
  it('is up to date with the document description in src/core', () => {
    assert.deepEqual(shipped, generated, 'schemas/experiment.schema.json is stale: run the schema test with UPDATE_SCHEMA=1');
  });

  it('knows every layer type of spec.ts, with its properties', () => {
    const layerSchema = shipped.properties.model.properties.layers.items;
    assert.deepEqual([...layerSchema.properties.type.enum].sort(), [...LAYER_TYPES].sort());
    assert.equal(LAYER_TYPES.length, 18);
    const dense = layerSchema.allOf.find((b: any) => b.if.properties.type.const === 'dense').then;
    assert.deepEqual(dense.required, ['type', 'id', 'from', 'units']);
    assert.ok(dense.properties.activation.enum.includes('relu'));
    assert.ok(layerSchema.defaultSnippets.some((s: any) => s.body.type === 'conv2d'));
  });

  it('is valid draft-07 and accepts the example documents', () => {
    const check = compile();
    for (const make of [digitsParity, convTwoDigits, mixedInputs, sharingBlocks]) {
      assert.equal(check(make()), true, JSON.stringify(check.errors));
    }
  });

  it('rejects what the validator rejects: wrong types, unknown kinds, missing and unknown properties', () => {
    const check = compile();
    const damage: ((d: any) => void)[] = [
      (d) => { d.model.layers[0].units = '128'; },
      (d) => { d.model.layers[0].type = 'dense2'; },
      (d) => { delete d.training.epochs; },
      (d) => { d.model.layers[0].activaton = 'relu'; },
      (d) => { d.training.optimizer.learningRate = 0; },
      (d) => { d.data.split.validation = 1; },
      (d) => { d.model.layers[0] = { id: 'c', type: 'conv2d', filters: 3, kernelSize: [3], from: ['image'] }; },
      (d) => { d.training.optimizer = { type: 'adam', learningRate: 0.1, momentum: 0.9 }; },
    ];
    for (const hurt of damage) {
      const doc = digitsParity() as any;
      hurt(doc);
      assert.equal(check(doc), false, hurt.toString());
    }
  });
});
