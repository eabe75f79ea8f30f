// Column values as the drivers return them, read one way: jsonb (an object from pg and PGlite, or its
// text), timestamptz (a Date, or text) and date (a Date, or text).

export function jsonOf(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

/** An instant column as ISO 8601 UTC text. */
export function isoInstant(value: unknown): string {
  return new Date(value instanceof Date ? value : String(value)).toISOString();
}

/** A date column as YYYY-MM-DD. */
export function civilDateOf(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}
