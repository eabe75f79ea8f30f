// The methodology API in-process: the catalogue, rendered equations, the JSON Schema, templates, and
// every worked example calculated from XLSX, CSV and JSON exactly as the arithmetic written out;
// bad input answers problem+json with a stable code and located issues.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import type { Platform } from '../../src/services/platform.ts';
import { freshPlatform, testDbKind, type TestDb } from '../support/db.ts';
import { compareWithExpected, exampleCsv, expectedExamples } from '../support/worked-examples.ts';

let platform: Platform;
let testDb: TestDb;
let app: ReturnType<typeof createApp>;
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  ({ platform, testDb } = await freshPlatform());
  app = createApp(platform, { devToken: 'test-token' });
});
afterAll(async () => {
  await testDb.drop();
});

async function calculate(id: string, body: string | ArrayBuffer | Uint8Array, type: string) {
  const response = await app.request(`/api/v1/methodologies/${id}/calculate`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe(`methodology API on ${testDbKind}`, () => {
  it('lists the catalogue and shows a methodology with rendered equations', async () => {
    const list = (await (await app.request('/api/v1/methodologies')).json()) as { id: string }[];
    expect(list.map((m) => m.id).sort()).toEqual(Object.keys(expectedExamples).sort());
    const shown = (await (await app.request('/api/v1/methodologies/IN_AM002')).json()) as {
      rendered: { equations: { text: string }[] };
    };
    expect(shown.rendered.equations.map((e) => e.text)).toContain(
      'EC_RE_i = EC_PJ_i × COP_PJ_i ÷ COP_RE_i',
    );
    const schema = (await (await app.request('/api/v1/methodologies/schema')).json()) as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(schema.properties)).toContain('equations');
  });

  describe.each(Object.keys(expectedExamples))('%s', (id) => {
    it('calculates its worked example from the filled template, from CSV and from JSON', async () => {
      const template = await app.request(`/api/v1/methodologies/${id}/template.xlsx?fill=example`);
      expect(template.status).toBe(200);
      expect(template.headers.get('content-type')).toBe(xlsx);
      const methodology = platform.methodologies.get(id)!;
      const unitOf = (s: string) => methodology.parameters.get(s)?.def.unit ?? '';
      const shape = { ...methodology.file.example, description: undefined };
      const answers = [
        await calculate(id, await template.arrayBuffer(), xlsx),
        await calculate(id, exampleCsv(methodology.file.example, unitOf), 'text/csv'),
        await calculate(id, JSON.stringify(shape), 'application/json'),
      ];
      for (const answer of answers) {
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        expect(compareWithExpected(expectedExamples[id]!, answer.body as never)).toEqual([]);
      }
      expect(new Set(answers.map((a) => a.body.inputHash)).size).toBe(1);
    });
  });

  it('finds methodologies and estimates annual credits', async () => {
    const found = (await (
      await app.request('/api/v1/methodologies/find?country=IN&words=rooftop%20solar')
    ).json()) as { id: string; articleSix: { eligible: boolean; note: string } | null }[];
    // Rooftop solar in India: the stored component (IN_AM009) is eligible under India's Article 6.2
    // list and comes first; plain solar PV (IN_AM001) is offered with a word that it is not.
    expect(found.map((f) => [f.id, f.articleSix?.eligible])).toEqual([
      ['IN_AM009', true],
      ['IN_AM001', false],
    ]);
    expect(found[1]?.articleSix?.note).toMatch(/^Not eligible for Article 6\.2 in IN: IN_AM001/);
    const response = await app.request('/api/v1/methodologies/IN_AM001/estimate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: { P_cap: '5' } }),
    });
    const estimate = (await response.json()) as {
      annualCredits: string;
      articleSix: { country: string; eligible: boolean }[];
    };
    // 5 MW x 0.19 x 8760 h = 8322 MWh; x 0.757 tCO2/MWh = 6299.754 tCO2 -> 6299 credits.
    expect(estimate.annualCredits).toBe('6299');
    expect(estimate.articleSix.map((a) => [a.country, a.eligible])).toEqual([['IN', false]]);
    const both = await app.request('/api/v1/methodologies/estimate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ country: 'IN', words: 'chiller', inputs: { Q_cool: '3000' } }),
    });
    const rows = (await both.json()) as {
      id: string;
      estimate: { annualCredits: string } | null;
    }[];
    expect(rows.map((r) => r.id)).toEqual(['IN_AM002']);
    // EC_PJ = 3000 kW x 4000 h / 6.2 = 1935483.87... kWh; RE - PE = EC_PJ x (6.2/5 - 1) x 0.757
    // = 1935.48387 MWh x 0.24 x 0.757 = 351.6387... -> 351 credits.
    expect(rows[0]?.estimate?.annualCredits).toBe('351');
  });

  it.each([
    [
      'an unknown methodology',
      '/api/v1/methodologies/XX_AM999',
      'GET',
      '',
      '',
      404,
      'methodology_not_found',
    ],
    [
      'an unsupported content type',
      '/api/v1/methodologies/IN_AM001/calculate',
      'POST',
      'text/plain',
      'x',
      415,
      'content_type_unsupported',
    ],
    [
      'malformed JSON',
      '/api/v1/methodologies/IN_AM001/calculate',
      'POST',
      'application/json',
      '{',
      400,
      'malformed_json',
    ],
    [
      'JSON of the wrong shape',
      '/api/v1/methodologies/IN_AM001/calculate',
      'POST',
      'application/json',
      '{"periods":1}',
      422,
      'monitoring_report_invalid',
    ],
    [
      'a file that is no workbook',
      '/api/v1/methodologies/IN_AM001/calculate',
      'POST',
      xlsx,
      'not a zip',
      422,
      'monitoring_report_invalid',
    ],
    [
      'a broken methodology file',
      '/api/v1/methodologies/validate',
      'POST',
      'text/plain',
      'id: [',
      422,
      'methodology_invalid',
    ],
  ])('answers %s with a stable code', async (_name, path, method, type, body, status, code) => {
    const response = await app.request(path, {
      method,
      ...(method === 'POST' ? { headers: { 'content-type': type }, body } : {}),
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as { code: string; issues?: { where: string }[] };
    expect(problem.code).toBe(code);
    for (const issue of problem.issues ?? []) expect(issue.where).not.toBe('');
  });

  it('accepts a monitoring workbook larger than the general body limit', async () => {
    const m = platform.methodologies.get('IN_AM001')!;
    const points = Array.from({ length: 9_000 }, (_, i) => `PV-${i + 1}`);
    const bytes = await platform.methodologies.template(m, {
      layout: { points, periods: [{ id: 'MP1', start: '2026-01-01', end: '2026-12-31' }] },
      prefill: (symbol, period) => (symbol === 'EG_i' && period !== null ? '2' : undefined),
    });
    expect(bytes.length).toBeGreaterThan(256 * 1024);
    const answer = await calculate('IN_AM001', new Uint8Array(bytes), xlsx);
    expect(answer.status).toBe(200);
    // 9000 x 2 MWh x 0.757 = 13626 tCO2.
    expect(answer.body.credits).toBe('13626');
  });
});
