// Lookups and writes keyed by a user's string. A plain object answers "constructor",
// "toString" or "__proto__" from Object.prototype, and `obj["__proto__"] = v` replaces the
// prototype instead of adding a key; these helpers see own properties only.

/** `record[key]` when `key` is the record's own property, else undefined. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `record[key] = value` as a plain data property, even for "__proto__". */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
