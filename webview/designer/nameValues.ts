// A map of names to text in one field of the designer (the numpy source's targets: target name
// -> array), written as "label = y, size = z". Pure, so its parse is unit-tested.

export function nameValuesText(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return '';
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k} = ${String(v)}`).join(', ');
}

export function parseNameValues(text: string, required: boolean): { ok: true; value: unknown } | { ok: false; message: string } {
  const parts = text.split(',').map((x) => x.trim()).filter(Boolean);
  if (parts.length === 0) return required ? { ok: false, message: 'Required.' } : { ok: true, value: undefined };
  const pairs = parts.map((part) => part.split('=').map((x) => x.trim()));
  if (pairs.some((pair) => pair.length !== 2 || !pair[0] || !pair[1])) return { ok: false, message: 'Enter "name = value" pairs separated by commas.' };
  return { ok: true, value: Object.fromEntries(pairs) };
}
