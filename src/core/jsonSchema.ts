// Emits a JSON Schema (draft-07) from a docSchema description, for VS Code's
// `jsonValidation` (completion, hovers and errors on hand edits). Discriminated unions
// become if/then chains so VS Code completes and checks the properties of the chosen kind.
// schemas/experiment.schema.json is this output for EXPERIMENT_SCHEMA (a unit test keeps them equal).
import type { ObjectSchema, Schema } from './docSchema';
import { EXPERIMENT_SCHEMA } from './experimentSchema';

type Json = Record<string, unknown>;

function objectJson(schema: ObjectSchema, tag?: { name: string; value: string }): Json {
  const properties: Json = {};
  if (tag) properties[tag.name] = { const: tag.value, description: schema.description };
  for (const [key, value] of Object.entries(schema.properties)) properties[key] = toJson(value);
  const required = tag ? [tag.name, ...schema.required] : [...schema.required];
  return {
    type: 'object',
    description: schema.description,
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
    ...(schema.snippet && !tag ? { defaultSnippets: [{ label: 'new', body: schema.snippet }] } : {}),
  };
}

export function toJson(schema: Schema): Json {
  const description = schema.description;
  switch (schema.kind) {
    case 'string':
      return { type: 'string', description, ...(schema.enum ? { enum: [...schema.enum] } : {}), ...(schema.nonEmpty ? { minLength: 1 } : {}) };
    case 'number':
      return {
        type: schema.integer ? 'integer' : 'number', description,
        ...(schema.min !== undefined ? { minimum: schema.min } : {}),
        ...(schema.exclusiveMin !== undefined ? { exclusiveMinimum: schema.exclusiveMin } : {}),
        ...(schema.max !== undefined ? { maximum: schema.max } : {}),
        ...(schema.exclusiveMax !== undefined ? { exclusiveMaximum: schema.exclusiveMax } : {}),
      };
    case 'boolean':
      return { type: 'boolean', description };
    case 'array':
      return {
        type: 'array', description, items: toJson(schema.items),
        ...(schema.minItems !== undefined ? { minItems: schema.minItems } : {}),
        ...(schema.maxItems !== undefined ? { maxItems: schema.maxItems } : {}),
        ...(schema.uniqueItems ? { uniqueItems: true } : {}),
      };
    case 'record':
      return { type: 'object', description, additionalProperties: toJson(schema.values) };
    case 'object':
      return objectJson(schema);
    case 'anyOf':
      return { description, anyOf: schema.options.map(toJson) };
    case 'union': {
      const entries = Object.entries(schema.variants);
      const snippets = entries.filter(([, v]) => v.snippet && Object.keys(v.snippet).length > 0)
        .map(([tag, v]) => ({ label: tag, description: v.description, body: v.snippet }));
      return {
        type: 'object', description,
        required: [schema.tag],
        properties: { [schema.tag]: { type: 'string', enum: entries.map(([tag]) => tag), description: `The ${schema.noun}.` } },
        allOf: entries.map(([tag, variant]) => ({
          if: { properties: { [schema.tag]: { const: tag } }, required: [schema.tag] },
          then: objectJson(variant, { name: schema.tag, value: tag }),
        })),
        ...(snippets.length ? { defaultSnippets: snippets } : {}),
      };
    }
  }
}

/** The complete JSON Schema document of `*.mtl.json`. */
export function experimentJsonSchema(): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Multi-Task Studio experiment',
    ...toJson(EXPERIMENT_SCHEMA),
  };
}
