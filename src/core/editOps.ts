// The edit operations on a JSON document, as types alone: spec.ts (quick fixes carry them)
// and the checkers name them without importing the edit engine (edits.ts) and its helpers.
export type JsonPath = (string | number)[];

export type EditOp =
  /** Replace the value at `path`, or add it (a new object member; an array index equal to the length appends). */
  | { op: 'set'; path: JsonPath; value: unknown }
  /** Delete an object member or an array element; nothing happens when it is absent. */
  | { op: 'remove'; path: JsonPath }
  /** Insert an array element before `path`'s index (the length appends). */
  | { op: 'insert'; path: JsonPath; value: unknown }
  /** Rename the object member at `path` to `key`, keeping its place and value. */
  | { op: 'renameKey'; path: JsonPath; key: string };
