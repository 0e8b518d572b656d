// A tiny schema language for the experiment document. One description drives both the
// structural validator (structure.ts, with messages written for people) and the JSON
// Schema shipped for VS Code's hand-editing support (jsonSchema.ts), so the two cannot drift.

interface Documented { description: string }

export interface StringSchema extends Documented { kind: 'string'; enum?: readonly string[]; nonEmpty?: boolean }
export interface NumberSchema extends Documented {
  kind: 'number';
  integer?: boolean;
  min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number;
}
export interface BooleanSchema extends Documented { kind: 'boolean' }
export interface ArraySchema extends Documented {
  kind: 'array'; items: Schema; minItems?: number; maxItems?: number; uniqueItems?: boolean;
  /** How one item is named in messages ("Layer" gives 'Layer "trunk1": ...'). */
  itemNoun?: string;
}
export interface ObjectSchema extends Documented {
  kind: 'object'; properties: Record<string, Schema>; required: readonly string[];
  /** VS Code completion snippet for this object (JSON Schema `defaultSnippets` body). */
  snippet?: Record<string, unknown>;
}
/** A map with free keys (outputs by task id, layout by node id). */
export interface RecordSchema extends Documented { kind: 'record'; values: Schema }
/** An object whose `tag` property picks one of several shapes (layer type, optimizer type...). */
export interface UnionSchema extends Documented {
  kind: 'union'; tag: string;
  /** How the tag is named in messages: "layer type". */
  noun: string;
  /** Variant shapes; their `properties` do not repeat the tag. */
  variants: Record<string, ObjectSchema>;
  /**
   * A property the chosen variant does not take is an error, not an ignored warning: a
   * parameter of another variant (GradNorm's alpha under DWA) would silently change nothing.
   */
  closed?: true;
}
/** A value of one of several forms, e.g. a kernel size `3` or `[3, 5]`. */
export interface AnyOfSchema extends Documented { kind: 'anyOf'; options: Schema[]; expected: string }

export type Schema =
  | StringSchema | NumberSchema | BooleanSchema | ArraySchema | ObjectSchema
  | RecordSchema | UnionSchema | AnyOfSchema;

type Bounds = Pick<NumberSchema, 'min' | 'max' | 'exclusiveMin' | 'exclusiveMax'>;

export const str = (description: string, nonEmpty = true): StringSchema => ({ kind: 'string', description, nonEmpty });
export const oneOf = (values: readonly string[], description: string): StringSchema => ({ kind: 'string', enum: values, description });
export const int = (description: string, bounds: Bounds = {}): NumberSchema => ({ kind: 'number', integer: true, description, ...bounds });
export const num = (description: string, bounds: Bounds = {}): NumberSchema => ({ kind: 'number', description, ...bounds });
export const bool = (description: string): BooleanSchema => ({ kind: 'boolean', description });
export const arr = (items: Schema, description: string, extra: Partial<Omit<ArraySchema, 'kind' | 'items' | 'description'>> = {}): ArraySchema =>
  ({ kind: 'array', items, description, ...extra });
export const obj = (description: string, properties: Record<string, Schema>, required: readonly string[] = [], snippet?: Record<string, unknown>): ObjectSchema =>
  ({ kind: 'object', description, properties, required, ...(snippet ? { snippet } : {}) });
export const record = (values: Schema, description: string): RecordSchema => ({ kind: 'record', values, description });
export const union = (tag: string, noun: string, description: string, variants: Record<string, ObjectSchema>, options: { closed?: true } = {}): UnionSchema =>
  ({ kind: 'union', tag, noun, description, variants, ...options });
export const anyOf = (expected: string, description: string, options: Schema[]): AnyOfSchema =>
  ({ kind: 'anyOf', expected, description, options });

/** "an integer ≥ 1", "a number > 0 and < 1", 'one of "valid", "same"'... used in messages. */
export function expectedText(schema: Schema): string {
  switch (schema.kind) {
    case 'string':
      return schema.enum ? `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}` : schema.nonEmpty ? 'a non-empty string' : 'a string';
    case 'number': {
      const bounds: string[] = [];
      if (schema.min !== undefined) bounds.push(`≥ ${schema.min}`);
      if (schema.exclusiveMin !== undefined) bounds.push(`> ${schema.exclusiveMin}`);
      if (schema.max !== undefined) bounds.push(`≤ ${schema.max}`);
      if (schema.exclusiveMax !== undefined) bounds.push(`< ${schema.exclusiveMax}`);
      return `${schema.integer ? 'an integer' : 'a number'}${bounds.length ? ' ' + bounds.join(' and ') : ''}`;
    }
    case 'boolean': return 'true or false';
    case 'array':
      return schema.items.kind === 'string' && !schema.items.enum ? 'an array of strings' : `an array (each item ${expectedText(schema.items)})`;
    case 'object': case 'union': case 'record': return 'an object';
    case 'anyOf': return schema.expected;
  }
}
