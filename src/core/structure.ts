// Structural validation of raw JSON against a docSchema description: wrong types, missing
// required properties, unknown kinds and enum values, out-of-range numbers. Every problem
// carries the JSON path of the offending value and says what would be accepted.
import { isObject, problemList } from './checkHelpers';
import { expectedText, type ObjectSchema, type Schema, type UnionSchema } from './docSchema';
import type { JsonPath } from './edits';
import { own } from './own';
import type { Problem } from './spec';
import { describeValue, didYouMean, listNames } from './wording';


class Walker {
  private readonly found = problemList();
  readonly problems: Problem[] = this.found.problems;
  private readonly error = this.found.error;
  private readonly warning = this.found.warning;

  /** `context` prefixes messages with the enclosing item, e.g. 'Layer "trunk1": '. */
  check(value: unknown, schema: Schema, path: JsonPath, context: string): void {
    const name = nameOf(path);
    const wrongType = (): void => this.error(path, `${context}${name} must be ${expectedText(schema)}, got ${describeValue(value)}.`);
    switch (schema.kind) {
      case 'string':
        if (typeof value !== 'string') return wrongType();
        if (schema.enum && !schema.enum.includes(value)) {
          return this.error(path, `${context}${name} must be ${expectedText(schema)}, got ${JSON.stringify(value)}.${didYouMean(value, schema.enum)}`);
        }
        if (schema.nonEmpty && value.trim() === '') this.error(path, `${context}${name} must not be empty.`);
        return;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType();
        if ((schema.integer && !Number.isInteger(value))
          || (schema.min !== undefined && value < schema.min) || (schema.max !== undefined && value > schema.max)
          || (schema.exclusiveMin !== undefined && value <= schema.exclusiveMin)
          || (schema.exclusiveMax !== undefined && value >= schema.exclusiveMax)) return wrongType();
        return;
      case 'boolean':
        if (typeof value !== 'boolean') wrongType();
        return;
      case 'array': {
        if (!Array.isArray(value)) return wrongType();
        if (schema.minItems !== undefined && value.length < schema.minItems) {
          this.error(path, `${context}${name} needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}, has ${value.length}.`);
        }
        if (schema.maxItems !== undefined && value.length > schema.maxItems) {
          this.error(path, `${context}${name} takes at most ${schema.maxItems} items, has ${value.length}.`);
        }
        if (schema.uniqueItems) {
          const seen = new Set<string>();
          value.forEach((item, i) => {
            const key = JSON.stringify(item);
            if (seen.has(key)) this.warning([...path, i], `${context}${name} lists ${key} twice.`);
            seen.add(key);
          });
        }
        value.forEach((item, i) => this.check(item, schema.items, [...path, i], schema.itemNoun ? itemContext(schema.itemNoun, item, i) : context));
        return;
      }
      case 'record':
        if (!isObject(value)) return wrongType();
        for (const [key, v] of Object.entries(value)) this.check(v, schema.values, [...path, key], context);
        return;
      case 'object':
        if (!isObject(value)) return wrongType();
        return this.checkObject(value, schema, path, context, []);
      case 'union': {
        if (!isObject(value)) return wrongType();
        const tags = Object.keys(schema.variants);
        const tag = own(value, schema.tag);
        if (tag === undefined) {
          return this.error([...path, schema.tag], `${context}missing "${schema.tag}" (the ${schema.noun}). Known: ${listNames(tags, 20)}.`);
        }
        const variant = typeof tag === 'string' ? own(schema.variants, tag) : undefined;
        if (!variant) {
          const shown = typeof tag === 'string' ? JSON.stringify(tag) : describeValue(tag);
          const guess = typeof tag === 'string' ? didYouMean(tag, tags) : '';
          return this.error([...path, schema.tag], `${context}unknown ${schema.noun} ${shown}.${guess} Known: ${listNames(tags, 20)}.`);
        }
        return this.checkObject(value, variant, path, context, [schema.tag], schema.closed ? { union: schema, tag: tag as string } : undefined);
      }
      case 'anyOf': {
        // Accept when one option produces no problems; otherwise report the expected forms.
        for (const option of schema.options) {
          const probe = new Walker();
          probe.check(value, option, path, context);
          if (!probe.problems.some((p) => p.severity === 'error')) return;
        }
        return wrongType();
      }
    }
  }

  private checkObject(value: Record<string, unknown>, schema: ObjectSchema, path: JsonPath, context: string, extraKeys: string[], closed?: { union: UnionSchema; tag: string }): void {
    for (const key of schema.required) {
      if (own(value, key) === undefined) {
        const what = own(schema.properties, key)?.description ?? '';
        const where = context || path.length === 0 ? '' : ` in ${nameOf(path)}`;
        this.error([...path, key], `${context}missing "${key}"${where}: ${what}`);
      }
    }
    for (const [key, v] of Object.entries(value)) {
      const propertySchema = own(schema.properties, key);
      if (propertySchema) {
        if (v !== undefined) this.check(v, propertySchema, [...path, key], context);
      } else if (extraKeys.includes(key)) {
        continue;
      } else if (closed) {
        this.error([...path, key], `${context}${notTaken(key, closed.union, closed.tag)}`);
      } else {
        const known = [...extraKeys, ...Object.keys(schema.properties)];
        this.warning([...path, key], `${context}unknown property "${key}" is ignored.${didYouMean(key, known)} Known: ${listNames(known, 20)}.`);
      }
    }
  }
}

/** Why a closed union's variant refuses `key`: its own parameters, and the variants that do take it. */
function notTaken(key: string, union: UnionSchema, tag: string): string {
  const own = Object.keys(union.variants[tag]!.properties);
  const owners = Object.entries(union.variants).filter(([t, v]) => t !== tag && Object.hasOwn(v.properties, key)).map(([t]) => t);
  return `"${key}" is not a parameter of ${union.noun} "${tag}"${owners.length ? ` (it belongs to ${listNames(owners, 8)})` : ''}: ` +
    `${tag} takes ${own.length ? listNames(own, 20) : 'no parameters'}.` +
    (owners.length ? ` Remove it, or choose the ${union.noun} it belongs to.` : `${didYouMean(key, own)} Remove it${own.length ? ' or correct its name' : ''}.`);
}

function itemContext(noun: string, item: unknown, index: number): string {
  const id = isObject(item) && typeof item.id === 'string' && item.id ? ` "${item.id}"` : ` #${index + 1}`;
  return `${noun}${id}: `;
}

/** '"units"', 'item 2 of "from"', or 'The document'. */
function nameOf(path: JsonPath): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'The document';
  if (typeof last === 'string') return `"${last}"`;
  const parent = path[path.length - 2];
  return parent === undefined ? `item ${last + 1}` : `item ${last + 1} of "${String(parent)}"`;
}

/** Structural problems of `value` against `schema` (the experiment schema by default in validate.ts). */
export function checkStructure(value: unknown, schema: Schema): Problem[] {
  const walker = new Walker();
  walker.check(value, schema, [], '');
  return walker.problems;
}
