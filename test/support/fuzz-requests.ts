// Requests for the HTTP fuzz test (test/integration/fuzz.test.ts): the write routes read from the
// OpenAPI document and the back office's forms read from its pages, and fast-check arbitraries of
// whole requests to them: bodies (valid-shaped, mutated, hostile, none), content types (JSON and its
// variants, text, XML, forms, multipart, octets, none), path parameters (NUL, unicode, huge, empty,
// `..`, percent-encodings), query parameters, and headers (odd or missing idempotency keys and
// credentials). Which credential a request carries is named here and resolved by the test.
import fc from 'fast-check';
import { hostileValue, mutatedValue, validValue, type JsonSchema } from './fuzz-values.ts';

export interface FormField {
  readonly name: string;
  /** Values the page offers (hidden values, select options); empty for free text. */
  readonly values: readonly string[];
  readonly file: boolean;
}

export interface FuzzRoute {
  readonly surface: 'api' | 'office';
  readonly method: string;
  /** `/api/v1/accounts/{account}/freeze`; for a form, the action its page names. */
  readonly template: string;
  readonly params: readonly { readonly name: string; readonly schema: JsonSchema }[];
  readonly query: readonly { readonly name: string; readonly schema: JsonSchema }[];
  /** The JSON body's schema (API), or null. */
  readonly body: JsonSchema | null;
  readonly mediaTypes: readonly string[];
  /** The back-office form's fields. */
  readonly fields: readonly FormField[];
}

interface OpenApiOperation {
  readonly parameters?: readonly { name: string; in: string; schema?: JsonSchema }[];
  readonly requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

/** Every write route (any method but GET) of an OpenAPI document. */
export function writeRoutes(document: {
  paths: Record<string, Record<string, OpenApiOperation>>;
}): FuzzRoute[] {
  return Object.entries(document.paths).flatMap(([template, operations]) =>
    Object.entries(operations)
      .filter(([method]) => !['get', 'head', 'options'].includes(method))
      .map(([method, op]) => {
        const content = op.requestBody?.content ?? {};
        const parameters = op.parameters ?? [];
        const of = (place: string) =>
          parameters
            .filter((p) => p.in === place)
            .map((p) => ({ name: p.name, schema: p.schema ?? {} }));
        return {
          surface: 'api' as const,
          method: method.toUpperCase(),
          template,
          params: of('path'),
          query: of('query'),
          body: content['application/json']?.schema ?? null,
          mediaTypes: Object.keys(content),
          fields: [],
        };
      }),
  );
}

const attribute = (tag: string, name: string) =>
  new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]?.replaceAll('&amp;', '&');

/** The POST forms of a back-office page: action and fields (inputs, selects with their options). */
export function formsOf(page: string): FuzzRoute[] {
  return [...page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].flatMap(
    ([, tag = '', body = '']) => {
      const action = attribute(tag, 'action');
      if (action === undefined || !/method="post"/i.test(tag)) return [];
      const fields = new Map<string, FormField>();
      for (const [whole, kind = '', inner = ''] of body.matchAll(
        /<(input|select|textarea)\b([^>]*)>([\s\S]*?<\/select>)?/g,
      )) {
        const name = attribute(inner, 'name');
        if (name === undefined) continue;
        const options = [...whole.matchAll(/<option\b[^>]*value="([^"]*)"/g)].map(
          (m) => m[1] ?? '',
        );
        const value = kind === 'input' ? attribute(inner, 'value') : undefined;
        const before = fields.get(name);
        fields.set(name, {
          name,
          values: [...(before?.values ?? []), ...options, ...(value === undefined ? [] : [value])],
          file: /type="file"/.test(inner),
        });
      }
      return [
        {
          surface: 'office' as const,
          method: 'POST',
          template: action,
          params: [],
          query: [],
          body: null,
          mediaTypes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
          fields: [...fields.values()],
        },
      ];
    },
  );
}

export type Credential =
  'admin-session' | 'admin-token' | 'narrow-token' | 'dev-token' | 'anonymous' | 'odd';

/** Before encoding: a JSON value, raw text, raw bytes, form fields, or nothing. */
export type Payload =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'form'; readonly fields: readonly (readonly [string, string])[] }
  | { readonly kind: 'none' };

export interface FuzzRequest {
  readonly route: FuzzRoute;
  readonly path: string;
  readonly contentType: string | null;
  readonly payload: Payload;
  readonly credential: Credential;
  /** The session's CSRF token: sent right, wrong or not at all. */
  readonly csrf: 'right' | 'wrong' | 'missing';
  readonly idempotencyKey: string | null;
  /** Extra headers (odd credentials, actor and roles for the development token...). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Percent-encodes the UTF-8 bytes of a text but letters and digits (lone surrogates as U+FFFD). */
const percentEncoded = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0').toUpperCase()}`,
    )
    .join('');

const hostileSegment = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '%00',
      'JP-000004%00',
      'a%00b',
      'TR-JP-000001%00',
      'tok_%00',
      '%00%00',
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: 1, max: 0x1f })
      .map((n) => `a%${n.toString(16).padStart(2, '0')}b`),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '',
      '..',
      '.',
      '%2e%2e',
      '%2E%2E%2F%2E%2E',
      '%2F',
      '%',
      '%zz',
      '%FF',
      '%C0%AE',
      '%7F',
      '%0D%0A',
      '%20',
      '%E2%80%AE',
      '%ED%A0%80',
      '+',
      ';x=1',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(percentEncoded),
  },
  { weight: 1, arbitrary: fc.constantFrom(200, 5_000).map((n) => 'x'.repeat(n)) },
  {
    weight: 1,
    arbitrary: hostileValue.map((v) =>
      percentEncoded(typeof v === 'string' ? v : JSON.stringify(v)),
    ),
  },
);

function segment(name: string, schema: JsonSchema): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: validValue(schema, name).map((v) => percentEncoded(String(v))) },
    { weight: 4, arbitrary: hostileSegment },
  );
}

function pathOf(route: FuzzRoute): fc.Arbitrary<string> {
  const parts = route.template.split(/(\{[^}]+\})/);
  const pieces = parts.map((part) => {
    const name = /^\{([^}]+)\}$/.exec(part)?.[1];
    const param = route.params.find((p) => p.name === name);
    if (name === undefined) return fc.constant(part);
    return segment(name, param?.schema ?? {});
  });
  // A back-office form's own path segments are fuzzed sometimes too.
  const officePath =
    route.surface === 'office'
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constant(route.template) },
          {
            weight: 2,
            arbitrary: fc
              .tuple(fc.nat(), hostileSegment)
              .map(([at, bad]) => replaceSegment(route.template, at, bad)),
          },
        )
      : null;
  const query = fc.oneof(
    { weight: 6, arbitrary: fc.constant('') },
    {
      weight: 2,
      arbitrary: fc.constantFrom('?dryRun=true', '?dryRun=false', '?version=1.0'),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '?dryRun=TRUE',
        '?dryRun=',
        '?dryRun=%00',
        '?dryRun=true&dryRun=false',
        `?dryRun=${'t'.repeat(5000)}`,
        '?version=%00',
        '?version=..%2F..',
        '?version=9.9',
        '?%ZZ=1',
      ),
    },
  );
  return fc
    .tuple(officePath ?? fc.tuple(...pieces).map((p) => p.join('')), query)
    .map(([path, q]) => path + q);
}

function replaceSegment(path: string, at: number, bad: string): string {
  const segments = path.split('/');
  const index = 2 + (at % Math.max(segments.length - 2, 1));
  if (index >= segments.length) return `${path}/${bad}`;
  segments[index] = bad;
  return segments.join('/');
}

const oddContentTypes = [
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'application/problem+json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'text/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzzboundary',
  'multipart/form-data',
  'application/octet-stream',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '*/*',
  '',
  'json',
  'application/json; boundary=x; charset=utf-16',
  'a/b;;;=',
];

function contentTypeOf(route: FuzzRoute): fc.Arbitrary<string | null> {
  const own = route.mediaTypes.length > 0 ? route.mediaTypes : ['application/json'];
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...own) },
    { weight: 3, arbitrary: fc.constantFrom(...oddContentTypes) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

const rawText = fc.oneof(
  fc.constantFrom(
    '',
    'null',
    '[]',
    '"x"',
    '{',
    '{"a":',
    '\u0000',
    '\ufeff{}',
    '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
    'a=1&b=%00',
    '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
    '--fuzzboundary\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--fuzzboundary--\r\n',
    'monitoring_point,period,EG_i\nPV-1,MP1,1\n',
    '=cmd|"/c calc"!A1,1\n',
  ),
  fc.constantFrom(3_000, 100_000).map((n) => '['.repeat(n)),
  fc.constantFrom(2_000, 50_000).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const rawBytes = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc
    .uint8Array({ maxLength: 400 })
    .map((tail) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...tail])),
);

function payloadOf(route: FuzzRoute): fc.Arbitrary<Payload> {
  const none = fc.constant<Payload>({ kind: 'none' });
  const text = rawText.map<Payload>((t) => ({ kind: 'text', text: t }));
  const bytes = rawBytes.map<Payload>((b) => ({ kind: 'bytes', bytes: b }));
  if (route.surface === 'office') return formPayload(route);
  const json = (arb: fc.Arbitrary<unknown>) =>
    arb.map<Payload>((value) => ({ kind: 'json', value }));
  const schema = route.body;
  return fc.oneof(
    ...(schema === null
      ? [{ weight: 6, arbitrary: none }]
      : [
          { weight: 3, arbitrary: json(validValue(schema)) },
          { weight: 6, arbitrary: json(mutatedValue(schema)) },
          { weight: 1, arbitrary: none },
        ]),
    { weight: 2, arbitrary: json(hostileValue) },
    { weight: 2, arbitrary: text },
    { weight: route.mediaTypes.some((t) => !t.includes('json')) ? 2 : 1, arbitrary: bytes },
  );
}

function formPayload(route: FuzzRoute): fc.Arbitrary<Payload> {
  const fieldValue = (field: FormField) =>
    fc.oneof(
      ...(field.values.length > 0
        ? [{ weight: 5, arbitrary: fc.constantFrom(...field.values) }]
        : []),
      { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
      {
        weight: 3,
        arbitrary: hostileValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      },
    );
  const fields = route.fields.map((f) =>
    fc.option(
      fieldValue(f).map((v) => [f.name, v] as const),
      { freq: 6 },
    ),
  );
  const extra = fc.array(
    fc.tuple(fc.constantFrom('csrf', 'idempotency_key', 'x', ''), fc.string({ maxLength: 10 })),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...fields), extra).map<Payload>(([chosen, more]) => ({
    kind: 'form',
    fields: [...chosen.filter((f) => f !== null), ...more],
  }));
}

const idempotencyKey = fc.oneof(
  { weight: 6, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'fuzz-reused-key',
      'é',
      'a\tb',
      '../..',
      "'; DROP TABLE journal; --",
      'k'.repeat(128),
      'k'.repeat(129),
      'k'.repeat(10_000),
    ),
  },
);

const oddHeaders = fc.constantFrom<Record<string, string>>(
  { authorization: 'Bearer' },
  { authorization: 'Bearer jcm_tok_' },
  { authorization: `Bearer jcm_tok_${'A'.repeat(5_000)}` },
  { authorization: 'Bearer jcm_tok_\u00e9\u00ff' },
  { authorization: 'bearer jcm_tok_abc' },
  { authorization: 'Basic YWRtaW46YWRtaW4=' },
  { authorization: `Bearer ${'x'.repeat(100_000)}` },
  { authorization: 'Bearer \t' },
  { cookie: 'jcm_session=' },
  { cookie: 'jcm_session=%00' },
  { cookie: `jcm_session=${'s'.repeat(5_000)}` },
  { cookie: 'jcm_session="unterminated' },
  { cookie: 'jcm_session=a; jcm_session=b' },
  { cookie: 'jcm_session=\u00e9', 'x-csrf-token': '\u00e9' },
);

const devHeaders = fc.record({
  'x-jcm-actor': fc.constantFrom('fuzz-dev', '', 'é', 'a'.repeat(65), '../x', 'a b'),
  'x-jcm-roles': fc.constantFrom(
    'administrator',
    'registry_manager:JP,account_holder:acme',
    'joint_committee:IN,secretariat:IN,project_participant:sunrise-jp',
    'registry_manager:XX',
    'registry_manager:',
    ':',
    'administrator,'.repeat(2_000),
    'third_party_entity:Bad_Org',
    '',
  ),
});

/** Whole requests to one route. */
export function requestTo(route: FuzzRoute): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      path: pathOf(route),
      contentType: contentTypeOf(route),
      payload: payloadOf(route),
      credential: fc.oneof(
        { weight: 3, arbitrary: fc.constant<Credential>('admin-session') },
        {
          weight: route.surface === 'api' ? 3 : 0,
          arbitrary: fc.constant<Credential>('admin-token'),
        },
        { weight: 1, arbitrary: fc.constant<Credential>('narrow-token') },
        { weight: 1, arbitrary: fc.constant<Credential>('dev-token') },
        { weight: 2, arbitrary: fc.constant<Credential>('anonymous') },
        { weight: 1, arbitrary: fc.constant<Credential>('odd') },
      ),
      csrf: fc.constantFrom<FuzzRequest['csrf']>(
        'right',
        'right',
        'right',
        'right',
        'wrong',
        'missing',
      ),
      idempotencyKey,
      odd: oddHeaders,
      dev: devHeaders,
    })
    .map(({ odd, dev, ...r }) => ({
      ...r,
      route,
      headers: r.credential === 'odd' ? odd : r.credential === 'dev-token' ? dev : {},
    }));
}
