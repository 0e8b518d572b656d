// TensorFlow names for the inputs and layers of a model. TensorFlow accepts only
// [A-Za-z0-9.][A-Za-z0-9_.\-/]* as a name, while an id may be any string ("🔥", "a b").
// The trainer names tfjs layers and weights with these (so they are what model.json holds);
// everything a user sees keeps the id, and readers of a saved model map names back with
// `idsOfTfNames`. An id that is already a valid name (and has no "/", which separates a
// layer's name from its weight's) is kept, so ordinary models save exactly as before.
import type { ModelSpec } from './spec';

const VALID = /^[A-Za-z0-9.][A-Za-z0-9_.-]*$/;

/** Id -> TensorFlow name, for every input and layer (ids that repeat get the first one's name). */
export function tfNames(model: Pick<ModelSpec, 'inputs' | 'layers'>): Map<string, string> {
  const ids = [...model.inputs.map((i) => i.id), ...model.layers.map((l) => l.id)];
  const names = new Map<string, string>();
  const taken = new Set(ids.filter((id) => VALID.test(id)));
  for (const id of ids) {
    if (names.has(id)) continue;
    if (VALID.test(id)) { names.set(id, id); continue; }
    // Readable where it can be ("a b" -> "a_b_1"), always with a suffix ("a_b" may be another
    // id), and unique among all names.
    const base = (id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9.]/, 'x') || 'x').slice(0, 40);
    let n = 1;
    while (taken.has(`${base}_${n}`)) n++;
    const name = `${base}_${n}`;
    taken.add(name);
    names.set(id, name);
  }
  return names;
}

/** TensorFlow name -> id: the inverse of `tfNames`. */
export function idsOfTfNames(model: Pick<ModelSpec, 'inputs' | 'layers'>): Map<string, string> {
  return new Map([...tfNames(model)].map(([id, name]) => [name, id]));
}
