// The help the designer shows for the training settings (the variant's line under its
// dropdown, each field's tooltip): what a kind does in a sentence, not its name again ("Adam."),
// and for each optional setting the default it has, the same value the trainer uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { optimizerWithDefaults, scheduleWithDefaults } from '../../../src/core/defaults';
import type { ObjectSchema, Schema, UnionSchema } from '../../../src/core/docSchema';
import { EXPERIMENT_SCHEMA } from '../../../src/core/experimentSchema';
import type { OptimizerSpec, ScheduleSpec } from '../../../src/core/spec';

const training = EXPERIMENT_SCHEMA.properties.training as ObjectSchema;
const union = (name: string): UnionSchema => training.properties[name] as UnionSchema;
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/** Each setting of `o` that is not required says its default, or says it is required. */
function undocumented(o: ObjectSchema, where: string): string[] {
  return Object.entries(o.properties).flatMap(([key, s]: [string, Schema]) =>
    (o.required.includes(key) || /\bdefault\b/i.test(s.description) ? [] : [`${where}.${key}: "${s.description}"`]));
}

describe('help of the training settings', () => {
  it('says what each optimizer and schedule does in a sentence, not only its name', () => {
    for (const name of ['optimizer', 'schedule']) {
      for (const [kind, variant] of Object.entries(union(name).variants)) {
        assert.ok(words(variant.description) >= 8, `${name} ${kind}: "${variant.description}"`);
      }
    }
  });

  it('gives the default of every optional setting of training, its optimizer and its schedule', () => {
    const missing = [
      ...undocumented(training, 'training'),
      ...['optimizer', 'schedule'].flatMap((name) => Object.entries(union(name).variants).flatMap(([kind, v]) => undocumented(v, `training.${name}{${kind}}`))),
    ];
    assert.deepEqual(missing, []);
  });

  it('states the same default values the trainer fills in (defaults.ts)', () => {
    const stated = (union: UnionSchema, kind: string, key: string): string => {
      const m = /\(default (-?[\d.e-]+|true|false)\b/.exec(union.variants[kind]!.properties[key]!.description);
      assert.ok(m, `${kind}.${key} names a value as its default`);
      return m[1]!;
    };
    for (const kind of Object.keys(union('optimizer').variants)) {
      const filled = optimizerWithDefaults({ type: kind, learningRate: 0.5 } as OptimizerSpec) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(filled)) {
        if (key === 'type' || key === 'learningRate') continue;
        const text = stated(union('optimizer'), kind, key);
        assert.equal(typeof value === 'boolean' ? text : Number(text), typeof value === 'boolean' ? String(value) : value, `optimizer ${kind}.${key}`);
      }
    }
    for (const kind of Object.keys(union('schedule').variants)) {
      const base = { type: kind, stepEpochs: 1, gamma: 0.5, t0: 1 } as unknown as ScheduleSpec;
      const filled = scheduleWithDefaults(base) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(filled)) {
        if (Object.hasOwn(base, key)) continue;
        assert.equal(Number(stated(union('schedule'), kind, key)), value, `schedule ${kind}.${key}`);
      }
    }
  });
});
