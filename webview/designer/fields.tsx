// Inspector fields, one per kind of schema value (number, text, choice, flag, size, list),
// each writing its JSON path through the host and showing the problems found at that path.
// A field keeps what the user types while it has focus: text that is not a valid value yet
// is flagged here and not written, and echoes of our own edits do not reset the cursor.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Schema } from '../../src/core/docSchema';
import type { JsonPath } from '../../src/core/edits';
import type { Problem } from '../../src/core/spec';
import { Checkbox, Dropdown, TextField } from '../ui';
import { pathKey, problemsAt, useDesigner } from './context';
import { setValue } from './operations';
import { nameValuesText, parseNameValues } from './nameValues';
import { QuickFixButton } from './QuickFix';
import { humanize } from './schemas';

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

export function ProblemText({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems">
      {problems.map((p, i) => <li key={i} className={p.severity}><span className="sr-only">{p.severity}: </span>{p.message}{p.fix && <> <QuickFixButton fix={p.fix} /></>}</li>)}
    </ul>
  );
}

/** Label, control, help and problems of one setting; `data-path` lets the problems list focus it. */
export function FieldShell(p: { label: string; path: JsonPath; help?: string; problems: readonly Problem[]; local?: string; children: ReactNode; labelFor?: string; wide?: boolean }) {
  const severity = p.local || p.problems.some((x) => x.severity === 'error') ? 'error' : p.problems.length ? 'warning' : undefined;
  return (
    <div className={`field${severity ? ` has-${severity}` : ''}${p.wide ? ' wide' : ''}`} data-path={pathKey(p.path)}>
      <label className="field-label" htmlFor={p.labelFor} title={p.help}>{p.label}</label>
      {p.children}
      {p.local ? <ul className="field-problems"><li className="error">{p.local}</li></ul> : <ProblemText problems={p.problems} />}
    </div>
  );
}

/** Text whose value is parsed on every keystroke; the document gets only valid values. */
export function DraftText(p: {
  label: string; path: JsonPath; text: string; parse: (text: string) => Parsed; help?: string;
  placeholder?: string; commit?: (value: unknown) => void; problems?: readonly Problem[];
  /** Spans both columns of a field grid (free text, lists). */
  wide?: boolean;
  /** Write only on Enter or when leaving the field (ids: no rename per keystroke). */
  lazy?: boolean;
}) {
  const d = useDesigner();
  const [draft, setDraft] = useState(p.text);
  const [local, setLocal] = useState<string | undefined>();
  const focused = useRef(false);
  const sent = useRef<string[]>([]);
  const id = useId();
  useEffect(() => {
    // While typing, our own edits come back as echoes: ignore those, take anything else (undo, other editors).
    if (focused.current && sent.current.includes(canonical(p.parse(p.text)))) return;
    setDraft(p.text);
    setLocal(undefined);
  }, [p.text]);
  const problems = p.problems ?? problemsAt(d.model.problems, p.path);
  // Typing is written after a short pause (one undo step per burst of typing, not per key);
  // Enter and leaving the field write at once. Ids (lazy) wait for Enter or leaving.
  const pending = useRef<{ value: unknown } | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const latest = useRef({ commit: p.commit, path: p.path, edit: d.edit });
  latest.current = { commit: p.commit, path: p.path, edit: d.edit };
  const flush = (): boolean => {
    clearTimeout(timer.current);
    const v = pending.current;
    pending.current = undefined;
    if (!v) return false;
    const { commit, path, edit } = latest.current;
    if (commit) commit(v.value);
    else edit(setValue(path, v.value));
    return true;
  };
  // Unmounting (another node selected) still writes what was typed.
  useEffect(() => () => { flush(); }, []);
  const onChange = (text: string): void => {
    setDraft(text);
    const parsed = p.parse(text);
    clearTimeout(timer.current);
    if (!parsed.ok) { setLocal(parsed.message); pending.current = undefined; return; }
    setLocal(undefined);
    sent.current = [...sent.current.slice(-8), canonical(parsed)];
    pending.current = { value: parsed.value };
    if (!p.lazy) timer.current = setTimeout(flush, TYPING_PAUSE_MS);
  };
  const onBlur = (): void => {
    focused.current = false;
    sent.current = [];
    if (flush()) return; // the document will bring the new value back
    setDraft(p.text);
    setLocal(undefined);
  };
  return (
    <FieldShell label={p.label} path={p.path} help={p.help} problems={problems} local={local} labelFor={id} wide={p.wide}>
      <div onFocus={() => { focused.current = true; }} onBlur={onBlur} onKeyDown={(e) => {
        if (e.key === 'Enter') flush();
        // Ctrl+S within the typing pause: VS Code saves the text at once, without what was typed;
        // written now, it is saved again once applied (the keystroke still reaches VS Code).
        else if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's' && flush()) d.saveAfterEdits();
      }}>
        <TextField id={id} value={draft} onChange={onChange} placeholder={p.placeholder} aria-label={p.label} title={p.help}
          invalid={!!local || problems.some((x) => x.severity === 'error')} disabled={d.readOnly} className="field-input" />
      </div>
    </FieldShell>
  );
}

const TYPING_PAUSE_MS = 350;
const canonical = (p: Parsed): string => (p.ok ? JSON.stringify(p.value) ?? 'undefined' : '\u0000invalid');

const numberText = (v: unknown): string => (typeof v === 'number' ? String(v) : v === undefined ? '' : JSON.stringify(v));

export function parseNumber(text: string, integer: boolean, required: boolean): Parsed {
  const t = text.trim();
  if (t === '') return required ? { ok: false, message: 'Required: enter a number.' } : { ok: true, value: undefined };
  const n = Number(t);
  if (!Number.isFinite(n) || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return { ok: false, message: `"${t}" is not a number.` };
  if (integer && !Number.isInteger(n)) return { ok: false, message: 'Enter a whole number.' };
  return { ok: true, value: n };
}

/** "3" -> 3, "3, 5" or "3×5" -> [3, 5]. */
export function parseNumberList(text: string, mode: 'list' | 'size', required: boolean): Parsed {
  const t = text.trim().replace(/^\[|\]$/g, '');
  if (t === '') return required ? { ok: false, message: 'Required.' } : { ok: true, value: undefined };
  const parts = t.split(/\s*[,×x*\s]\s*/i).filter(Boolean);
  const nums = parts.map(Number);
  if (nums.some((n) => !Number.isInteger(n))) return { ok: false, message: 'Enter whole numbers separated by commas.' };
  if (mode === 'size') {
    if (nums.length === 1) return { ok: true, value: nums[0] };
    if (nums.length === 2) return { ok: true, value: nums };
    return { ok: false, message: 'Enter one size, or two: height, width.' };
  }
  return { ok: true, value: nums };
}

const listText = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : typeof v === 'number' ? String(v) : '');

/** The characters of a number that a half-width field shows whole at the narrowest inspector (280 px). */
const LONG_NUMBER = 12;

/**
 * The characters of a dropdown's choice that a half-width field shows whole at the narrowest
 * inspector (280 px): a list with a longer choice takes the whole row ("categoricalCrossentropy
 * (default)" was cut to "categor…", a task's kind to "multicla…"; losses are now listed as
 * users call them, LOSS_TITLES).
 */
const LONG_CHOICE = 9;

/**
 * One field for a schema property; `fallback` is the effective default shown when unset, `empty`
 * what leaving it empty means when that is no value ("off (no clipping)": a bare "optional" left
 * the user to guess whether empty meant off, zero or some default).
 */
export function SchemaField(p: { name: string; schema: Schema; value: unknown; path: JsonPath; required: boolean; fallback?: unknown; empty?: string; label?: string; optionLabel?: (value: string) => string }) {
  const d = useDesigner();
  const label = p.label ?? humanize(p.name);
  const help = p.schema.description;
  const placeholder = p.empty ?? (p.fallback !== undefined ? `default ${listText(p.fallback) || String(p.fallback)}` : p.required ? 'required' : 'optional');
  const s = p.schema;
  switch (s.kind) {
    case 'number': {
      // A number longer than a half-width field shows (1/255 written out) takes the whole row, not cut off.
      const text = numberText(p.value);
      return <DraftText label={label} path={p.path} help={help} text={text} placeholder={placeholder} wide={text.length > LONG_NUMBER}
        parse={(t) => parseNumber(t, !!s.integer, p.required)} />;
    }
    case 'string':
      if (s.enum) return <EnumField label={label} path={p.path} help={help} value={p.value} options={s.enum} required={p.required} fallback={p.fallback} optionLabel={p.optionLabel} />;
      return <DraftText label={label} path={p.path} help={help} text={typeof p.value === 'string' ? p.value : ''} placeholder={placeholder} wide
        parse={(t) => (t === '' && !p.required ? { ok: true, value: undefined } : t.trim() === '' && s.nonEmpty ? { ok: false, message: 'Required.' } : { ok: true, value: t })} />;
    case 'boolean': {
      const checked = typeof p.value === 'boolean' ? p.value : p.fallback === true;
      return (
        <FieldShell label="" path={p.path} help={help} problems={problemsAt(d.model.problems, p.path)}>
          <Checkbox checked={checked} title={help} aria-label={label} disabled={d.readOnly}
            onChange={(c) => d.edit(setValue(p.path, c === p.fallback ? undefined : c))}>{label}</Checkbox>
        </FieldShell>
      );
    }
    case 'anyOf':
      return <DraftText label={label} path={p.path} help={`${help} One number, or "height, width".`} text={listText(p.value)} placeholder={placeholder} parse={(t) => parseNumberList(t, 'size', p.required)} />;
    case 'array':
      if (s.items.kind === 'number') {
        return <DraftText label={label} path={p.path} help={`${help} Comma-separated.`} text={listText(p.value)} placeholder={placeholder} parse={(t) => parseNumberList(t, 'list', p.required)} />;
      }
      if (s.items.kind === 'string' && !s.items.enum) {
        return <DraftText label={label} path={p.path} help={`${help} Comma-separated.`} text={listText(p.value)} placeholder={placeholder} wide
          parse={(t) => { const v = t.split(',').map((x) => x.trim()).filter(Boolean); return { ok: true, value: v.length ? v : undefined }; }} />;
      }
      return null;
    case 'record':
      // A map of names to text (numpy targets: target name -> array), edited as "label = y, size = z".
      if (s.values.kind === 'string') {
        return <DraftText label={label} path={p.path} help={`${help} As "name = value", comma-separated.`} text={nameValuesText(p.value)} placeholder={placeholder} wide
          parse={(t) => parseNameValues(t, p.required)} />;
      }
      return null;
    default:
      return null;
  }
}

export function EnumField(p: {
  label: string; path: JsonPath; help?: string; value: unknown; options: readonly string[]; required: boolean; fallback?: unknown;
  onChange?: (v: string | undefined) => void; problems?: readonly Problem[];
  /** Label of the "unset" choice when it is not a default value (e.g. "none"). */
  unsetLabel?: string;
  /** Unset keeps an entry of its own beside the default's value: the value set shows settings that unset does not (a constant schedule's warmup). */
  unsetEntry?: boolean;
  /** What a value is called in the list (a weighting method's title); the value itself by default. */
  optionLabel?: (value: string) => string;
}) {
  const d = useDesigner();
  const id = useId();
  const DEFAULT = '\u0000default';
  // Unset, the setting has its default: named by its value ("parameters (default)"), so the
  // user sees which one it is without reading the help. When the default is one of the values,
  // that value's own entry is the default's (one "Equal (default)", not "Equal" under it too,
  // which read as two different choices); choosing it unsets the setting.
  const fallback = !p.required && !p.unsetEntry && p.unsetLabel === undefined && p.fallback !== undefined && p.options.includes(String(p.fallback)) ? String(p.fallback) : undefined;
  const unset = fallback ?? DEFAULT;
  const current = typeof p.value === 'string' ? p.value : p.required ? '' : unset;
  const name = p.optionLabel ?? ((v: string) => v);
  const options = [
    ...(p.required || fallback !== undefined ? [] : [{ value: DEFAULT, label: p.unsetLabel ?? (p.fallback !== undefined ? `${name(String(p.fallback))} (default)` : 'default') }]),
    ...(p.required && !p.options.includes(current) ? [{ value: current, label: current || '(choose)' }] : []),
    ...(!p.required && current !== unset && !p.options.includes(current) ? [{ value: current, label: `${current} (unknown)` }] : []),
    ...p.options.map((o) => ({ value: o, label: o === fallback ? `${name(o)} (default)` : name(o) })),
  ];
  const change = (v: string): void => {
    const value = v === unset ? undefined : v;
    if (p.onChange) p.onChange(value);
    else d.edit(setValue(p.path, value));
  };
  return (
    <FieldShell label={p.label} path={p.path} help={p.help} problems={p.problems ?? problemsAt(d.model.problems, p.path)} labelFor={id}
      wide={options.some((o) => o.label.length > LONG_CHOICE)}>
      <Dropdown id={id} value={current} options={options} onChange={change} aria-label={p.label} title={p.help} disabled={d.readOnly} className="field-input" />
    </FieldShell>
  );
}

/** Every property of an object schema except `skip`, in schema order. */
export function ObjectFields(p: {
  schema: { properties: Record<string, Schema>; required: readonly string[] }; value: unknown; path: JsonPath; skip?: readonly string[]; defaults?: Record<string, unknown>;
  /** What a choice is called in a property's list, by property (a loss as users call it). */
  optionLabels?: Record<string, (value: string) => string>;
  /** What an empty field means, by property, where that is no value of `defaults` ("off (no clipping)"). */
  empty?: Record<string, string>;
}) {
  const value = typeof p.value === 'object' && p.value !== null ? p.value as Record<string, unknown> : {};
  return (
    <>
      {Object.entries(p.schema.properties).filter(([k]) => !p.skip?.includes(k)).map(([k, s]) => (
        <SchemaField key={k} name={k} schema={s} value={value[k]} path={[...p.path, k]} required={p.schema.required.includes(k)} fallback={p.defaults?.[k]} empty={p.empty?.[k]} optionLabel={p.optionLabels?.[k]} />
      ))}
    </>
  );
}
