// The holdings report as a file reads every page of holdings, and looks the registry and the
// synthetic projects up once (issue 15 review): before, each page of 500 rows asked again, so a
// download of 200,000 rows read every cycle item 400 times. Its CSV is written a page at a time as
// it is read, so that a registry of any size downloads in bounded memory.
import { describe, expect, it } from 'vitest';
import { pageOf, pageSizeMax, type KeyPart } from '../../src/core/shared/page.ts';
import type { PortalQueries } from '../../src/db/portal-queries.ts';
import type { HoldingRow, RegistryReportQueries } from '../../src/db/registry-report-queries.ts';
import { pdfTableRowsMax } from '../../src/formats/pdf/render-pdf.ts';
import { RegistryReports, streamOf } from '../../src/services/registry-reports.ts';

const all: HoldingRow[] = Array.from({ length: pageSizeMax * 2 + 7 }, (_, i) => ({
  account: `JP-${String(i).padStart(6, '0')}`,
  holder: 'Holder',
  accountType: 'holding',
  status: 'open',
  project: i % 2 === 0 ? 'MN001' : 'MN002',
  vintage: 2024,
  quantity: 10n,
  blocks: 1n,
}));

describe('holdings report file', () => {
  it('holds every row, flags the demo, and looks up the registry and the demo once', async () => {
    const calls = { registry: 0, synthetic: 0 };
    const queries = {
      registryExists: () => {
        calls.registry += 1;
        return Promise.resolve(true);
      },
      holdings: (_r: unknown, after: readonly KeyPart[] | null, limit: number) => {
        const from = after === null ? 0 : all.findIndex((h) => h.account === after[0]) + 1;
        const rows = all.slice(from, from + limit + 1);
        return Promise.resolve(
          pageOf(rows, limit, (h) => [h.account, h.project, BigInt(h.vintage)]),
        );
      },
    } as unknown as RegistryReportQueries;
    const portal = {
      syntheticReferences: () => {
        calls.synthetic += 1;
        return Promise.resolve(new Set(['MN002']));
      },
    } as unknown as PortalQueries;
    const reports = new RegistryReports(queries, portal, () => new Date(0));
    const tables = await reports.tables('holdings', 'JP');
    expect(tables.ok).toBe(true);
    const rows = tables.ok ? (tables.value[0]?.rows ?? []) : [];
    expect(rows).toHaveLength(all.length);
    expect(rows.filter((r) => r[8] === 'yes')).toHaveLength(pageSizeMax + 3);
    expect(calls).toEqual({ registry: 1, synthetic: 1 });
  });

  it('refuses a holdings PDF beyond a PDF table after reading one row more, not the whole registry', async () => {
    let read = 0;
    const queries = {
      registryExists: () => Promise.resolve(true),
      holdings: (_r: unknown, after: readonly KeyPart[] | null, limit: number) => {
        const from = after === null ? 0 : Number(String(after[0]).slice(3)) + 1;
        const rows = Array.from({ length: limit + 1 }, (_, i) => ({
          ...(all[0] as HoldingRow),
          account: `JP-${String(from + i).padStart(6, '0')}`,
        }));
        read += limit;
        return Promise.resolve(pageOf(rows, limit, (h) => [h.account, h.project, 2024n]));
      },
    } as unknown as RegistryReportQueries;
    const portal = {
      syntheticReferences: () => Promise.resolve(new Set()),
    } as unknown as PortalQueries;
    const file = await new RegistryReports(queries, portal, () => new Date(0)).file(
      'holdings',
      'pdf',
      'JP',
    );
    expect(file.ok ? 'answered' : file.error.code).toBe('report_too_large');
    expect(read).toBeLessThanOrEqual(pdfTableRowsMax + pageSizeMax);
  });
});

describe('holdings CSV', () => {
  it('is written a page at a time as it is read, each page read only when wanted', async () => {
    let pagesRead = 0;
    const queries = {
      registryExists: () => Promise.resolve(true),
      holdings: (_r: unknown, after: readonly KeyPart[] | null, limit: number) => {
        pagesRead += 1;
        const from = after === null ? 0 : all.findIndex((h) => h.account === after[0]) + 1;
        const rows = all.slice(from, from + limit + 1);
        return Promise.resolve(
          pageOf(rows, limit, (h) => [h.account, h.project, BigInt(h.vintage)]),
        );
      },
    } as unknown as RegistryReportQueries;
    const portal = {
      syntheticReferences: () => Promise.resolve(new Set(['MN002'])),
    } as unknown as PortalQueries;
    const file = await new RegistryReports(queries, portal, () => new Date(0)).file(
      'holdings',
      'csv',
      'JP',
    );
    if (!file.ok) throw new Error(file.error.code);
    expect(file.value.fileName).toBe('holdings-JP.csv');
    expect(pagesRead).toBe(0);
    const decoder = new TextDecoder();
    const parts: string[] = [];
    for await (const part of file.value.parts) {
      parts.push(decoder.decode(part));
      // The header, then one part per page: never a page read ahead of the part that holds it.
      expect(pagesRead).toBe(parts.length - 1);
    }
    expect(parts).toHaveLength(1 + 3);
    const lines = parts.join('').split('\r\n');
    expect(lines[0]).toBe(
      '"account","holder","account type","status","project","vintage","credits","blocks","synthetic demo data"',
    );
    expect(lines[1]).toBe('"JP-000000","Holder","holding","open","MN001","2024","10","1","no"');
    expect(lines[2]).toBe('"JP-000001","Holder","holding","open","MN002","2024","10","1","yes"');
    expect(lines).toHaveLength(1 + all.length + 1);
    expect(lines.at(-1)).toBe('');
  });

  it('streams to a web response that asks for a page only when its reader wants more', async () => {
    let pagesRead = 0;
    const queries = {
      registryExists: () => Promise.resolve(true),
      holdings: (_r: unknown, after: readonly KeyPart[] | null, limit: number) => {
        pagesRead += 1;
        const from = after === null ? 0 : all.findIndex((h) => h.account === after[0]) + 1;
        return Promise.resolve(
          pageOf(all.slice(from, from + limit + 1), limit, (h) => [
            h.account,
            h.project,
            BigInt(h.vintage),
          ]),
        );
      },
    } as unknown as RegistryReportQueries;
    const portal = {
      syntheticReferences: () => Promise.resolve(new Set()),
    } as unknown as PortalQueries;
    const file = await new RegistryReports(queries, portal, () => new Date(0)).file(
      'holdings',
      'csv',
      'JP',
    );
    if (!file.ok) throw new Error(file.error.code);
    const reader = streamOf(file.value.parts).getReader();
    await reader.read();
    await reader.read();
    expect(pagesRead).toBe(1);
    await reader.cancel();
    expect(pagesRead).toBe(1);
  });
});
