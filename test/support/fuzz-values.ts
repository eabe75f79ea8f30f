// Values for the HTTP fuzz test (test/integration/fuzz.test.ts): valid-shaped values built from the
// OpenAPI document's JSON schemas (with a dictionary of ids the test database holds, so that some
// requests go all the way through the services), hostile values (wrong types, huge strings, NUL
// and other control characters, unicode and lone surrogates, deep nesting, empty), and mutations
// that put a hostile value somewhere inside a valid-shaped one.
import fc from 'fast-check';

/** The part of JSON Schema the OpenAPI document uses. */
export interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly format?: string;
}

/** Known-good values by field name: the fixtures' registries, accounts, items, organisations... */
export const dictionary: Readonly<Record<string, readonly unknown[]>> = {
  registry: ['JP', 'IN'],
  account: ['JP-000004', 'JP-000005', 'JP-000006', 'IN-000004'],
  from: ['JP-000004', 'JP-000005', 'JP-000006', 'IN-000004'],
  to: ['JP-000004', 'JP-000006', 'IN-000004', 'JP-000002'],
  quantity: ['1', '2', '7'],
  decision: ['D1', 'D2'],
  project: ['IN001'],
  line: [1, 2],
  holderId: ['acme', 'beta'],
  accountType: ['holding', 'government_holding'],
  partnership: ['IN'],
  organisation: ['sunrise-jp', 'verita', 'surya-in'],
  item: ['IN-PRJ001', 'IN-PIN001'],
  email: ['fuzz-admin-1@fuzz.example', 'ada@example.org'],
  id: ['IN_AM001', 'tok_000001', 'TR-JP-000001'],
  vintage: [2027, 2028],
  country: ['JP', 'IN'],
};

const controlCharacter = fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n));
const controlString = fc
  .array(fc.oneof(controlCharacter, fc.constantFrom('\u007f', 'a', '\u0000')), {
    minLength: 1,
    maxLength: 12,
  })
  .map((chars) => chars.join(''));
const unicodeString = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.constantFrom(
    '登録簿',
    'プロジェクト.pdf',
    '\u202ertl\u202c',
    '\ud800',
    '\udfff x',
    '👩‍👩‍👧‍👦',
    'ﬀ\ufeff',
    'e\u0301',
    '\u2028\u2029',
  ),
);
const hostileText = fc.constantFrom(
  '',
  ' ',
  '..',
  '../../etc/passwd',
  '%00',
  '\\',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999999999999999999',
  '0x10',
  'NaN',
  'null',
  '__proto__',
  '2028-02-30',
  '9999-12-31T23:59:59Z',
);
const hugeString = fc
  .tuple(
    fc.constantFrom('x', 'é', '\u0000', '9', '登'),
    fc.constantFrom(300, 5_000, 70_000, 300_000),
  )
  .map(([unit, length]) => unit.repeat(length));

/** Nested arrays or objects, as a value (depth within JSON.parse's reach). */
const deepValue = fc.tuple(fc.boolean(), fc.constantFrom(20, 200, 1_000)).map(([arrays, depth]) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
});

/** A hostile JSON value of any type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: controlString },
  { weight: 2, arbitrary: unicodeString },
  { weight: 3, arbitrary: hostileText },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepValue },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      -0,
      1e308,
      Number.MAX_SAFE_INTEGER + 2,
      [],
      {},
      [null],
      JSON.parse('{"__proto__": {"admin": true}}') as unknown,
      { constructor: { prototype: { x: 1 } } },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.array(fc.constant('JP-000004'), { minLength: 1001, maxLength: 1200 }),
  },
);

const isoDate = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function stringValue(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
  if (schema.format === 'date') return isoDate;
  if (schema.format === 'email') return fc.emailAddress();
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 24, 24));
  return fc.string({ minLength, maxLength });
}

function numberValue(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1_000_000;
  const max = schema.maximum ?? 1_000_000;
  return schema.type === 'integer'
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.double({ min, max }));
}

/** A value that the schema accepts (field names pick from the dictionary half the time). */
export function validValue(schema: JsonSchema, name = '', depth = 0): fc.Arbitrary<unknown> {
  const known = dictionary[name];
  const own = ownValue(schema, depth);
  return known === undefined ? own : fc.oneof(fc.constantFrom(...known), own);
}

function ownValue(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices !== undefined && choices.length > 0)
    return fc.oneof(...choices.map((s) => ownValue(s, depth)));
  switch (schema.type) {
    case 'object':
      return objectValue(schema, depth);
    case 'array': {
      if (depth > 6 || schema.items === undefined) return fc.constant([]);
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, minLength + 3));
      return fc.array(validValue(schema.items, '', depth + 1), { minLength, maxLength });
    }
    case 'string':
      return stringValue(schema);
    case 'integer':
    case 'number':
      return numberValue(schema);
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectValue(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (depth > 6 || names.length === 0)
    return schema.additionalProperties === false
      ? fc.constant({})
      : fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), {
          maxKeys: 3,
        });
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) record[name] = validValue(properties[name] ?? {}, name, depth + 1);
  return fc.record(record, { requiredKeys: (schema.required ?? []).filter((n) => n in record) });
}

/** One change to a JSON value: replace a node, delete a key, add an unknown key. */
interface Mutation {
  readonly at: number;
  readonly kind: 'replace' | 'delete' | 'add' | 'taint';
  readonly value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom<Mutation['kind']>(
    'replace',
    'replace',
    'replace',
    'delete',
    'add',
    'taint',
    'taint',
  ),
  value: hostileValue,
});

/** The containers of a value and their keys, in a fixed order (the places a mutation can go). */
function places(value: unknown): { parent: Record<string, unknown>; key: string }[] {
  const found: { parent: Record<string, unknown>; key: string }[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 8 || v === null || typeof v !== 'object') return;
    for (const key of Object.keys(v)) {
      found.push({ parent: v as Record<string, unknown>, key });
      walk((v as Record<string, unknown>)[key], depth + 1);
    }
  };
  walk(value, 0);
  return found;
}

function mutate(value: unknown, changes: readonly Mutation[]): unknown {
  let root: unknown = structuredClone(value);
  for (const change of changes) {
    // A copy: the hostile constants are shared by every draw, and a later change of this value
    // must not write into one (an array set into itself is circular for every draw after it).
    const value =
      typeof change.value === 'object' && change.value !== null
        ? structuredClone(change.value)
        : change.value;
    const spots = places(root);
    const spot = spots[change.at % Math.max(spots.length, 1)];
    if (spot === undefined) {
      root = change.kind === 'add' ? { unexpected: value } : value;
    } else if (change.kind === 'taint') {
      // A control character inside a text the schema accepts (NUL most often).
      const text = spot.parent[spot.key];
      const bad = String.fromCharCode([0, 0, 1, 8, 0x1b, 0x7f][change.at % 6] ?? 0);
      spot.parent[spot.key] =
        typeof text === 'string' ? `${text.slice(0, 1)}${bad}${text.slice(1)}` : value;
    } else if (change.kind === 'delete') {
      delete spot.parent[spot.key];
    } else if (change.kind === 'add' && !Array.isArray(spot.parent)) {
      spot.parent[`x_${change.at % 97}`] = value;
    } else {
      spot.parent[spot.key] = value;
    }
  }
  return root;
}

/** A valid-shaped value with one to three hostile changes inside. */
export function mutatedValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc
    .tuple(validValue(schema), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([value, changes]) => mutate(value, changes));
}
