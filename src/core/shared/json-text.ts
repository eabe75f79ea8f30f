// JSON as the platform writes it on the wire and in the console: credits, serial numbers and
// sequence numbers are bigints in code and decimal strings in JSON, never JSON numbers.

export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
