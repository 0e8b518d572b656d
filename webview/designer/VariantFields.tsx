// A tagged setting (optimizer, schedule, data source, preprocessing step, weighting): a
// dropdown for its kind and the fields of that kind, all from the experiment schema.
import type { UnionSchema } from '../../src/core/docSchema';
import type { JsonPath } from '../../src/core/edits';
import { problemsAt, useDesigner } from './context';
import { EnumField, ObjectFields } from './fields';
import { isObject } from './model';
import { changeVariant } from './operations';
import { STARTERS, variantKeys } from './schemas';
import { own } from '../../src/core/own';

/** What choosing another kind edits (the dropdown, or a list of the kinds such as the weighting guide); undefined resets to the default. */
export function useVariantChange(p: { union: UnionSchema; path: JsonPath; label: string; starters?: keyof typeof STARTERS; optional?: { fallback: string } }): (next: string | undefined) => void {
  const d = useDesigner();
  return (next) => {
    // The default kind with no settings of its own means the same as unset, so choosing it unsets,
    // whichever control chose it (the dropdown's "Equal (default)" or the weighting guide's Equal):
    // one edit for one meaning, not a `{method: "equal"}` from one and a removal from the other.
    const plainDefault = p.optional !== undefined && next === p.optional.fallback && variantKeys(p.union, next).length <= 1;
    if (next === undefined || plainDefault) { d.edit({ label: `Reset ${p.label}`, ops: [{ op: 'remove', path: p.path }] }); return; }
    d.edit(changeVariant(d.model.doc, p.path, p.union.tag, next, variantKeys(p.union, next).filter((k) => k !== p.union.tag), p.starters ? STARTERS[p.starters]?.[next] : {}));
  };
}

export function VariantFields(p: {
  union: UnionSchema; value: unknown; path: JsonPath; label: string; starters?: keyof typeof STARTERS;
  /** Unset is allowed (the setting has a default, e.g. the schedule is constant). */
  optional?: { fallback: string };
  defaults?: Record<string, unknown>;
  /** What each kind is called in the dropdown (a weighting method's title); its tag by default. */
  optionLabel?: (tag: string) => string;
}) {
  const d = useDesigner();
  const value = isObject(p.value) ? p.value : undefined;
  const tag = value ? own(value, p.union.tag) : undefined;
  const variant = typeof tag === 'string' ? own(p.union.variants, tag) : undefined;
  const tagPath = [...p.path, p.union.tag];
  const change = useVariantChange(p);
  return (
    <div className="variant" data-path={p.path.join('.')}>
      <EnumField label={p.label} path={tagPath} help={p.union.description} value={tag} options={Object.keys(p.union.variants)}
        required={!p.optional} fallback={p.optional?.fallback} onChange={change} optionLabel={p.optionLabel}
        unsetEntry={p.optional !== undefined && variantKeys(p.union, p.optional.fallback).length > 1}
        problems={[...problemsAt(d.model.problems, p.path, true), ...problemsAt(d.model.problems, tagPath)]} />
      {variant && <p className="variant-help">{variant.description}</p>}
      {variant && <div className="field-grid"><ObjectFields schema={variant} value={value} path={p.path} defaults={p.defaults} /></div>}
    </div>
  );
}

