// The check of a public export (core/federation/export-check.ts) on files made to hurt it: it reads
// them in bounded memory and time, however many bad lines or checkpoints they hold, and says how many
// discrepancies it did not list.
import { describe, expect, it } from 'vitest';
import { checkpointText } from '../../../src/core/federation/checkpoints.ts';
import { discrepanciesMax } from '../../../src/core/federation/export-check.ts';
import { exportLine } from '../../../src/services/export-wire.ts';
import { checkExportText } from '../../../src/services/public-exports.ts';

const header = exportLine({
  record: 'export',
  version: 1,
  deployment: 'jp',
  registries: ['JP'],
  exportedAt: '2028-01-01T00:00:00.000Z',
  keys: [],
});

/** Checkpoint `i` of JP, naming 16 chains no other checkpoint names. */
function checkpointLine(i: number): string {
  const at = new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString();
  const heads = Array.from({ length: 16 }, (_, h) => ({
    chain: `C${i}-${h}`,
    seq: 1n,
    hash: 'a'.repeat(64),
  }));
  const text = checkpointText({
    version: 1,
    deployment: 'jp',
    registry: 'JP',
    at,
    heads,
    totals: [],
  });
  return exportLine({
    record: 'checkpoint',
    id: BigInt(i + 1),
    text,
    keyId: 'k',
    publicKey: 'A'.repeat(44),
    signature: 'A'.repeat(88),
  });
}

async function* lines(first: string, count: number, line: (i: number) => string) {
  yield `${first}\n`;
  for (let i = 0; i < count; i++) yield `${line(i)}\n`;
}

describe('checking a public export made to hurt the checker', () => {
  it('lists the first discrepancies of a file of junk and counts the rest', async () => {
    const { check } = await checkExportText(lines(header, 200_000, () => 'x'));
    const found = check.discrepancies;
    expect(found.length).toBe(discrepanciesMax + 1);
    expect(found.at(-1)).toMatchObject({ kind: 'discrepancies_omitted' });
    // 200,000 junk lines, the missing end record, less the ones listed.
    expect(found.at(-1)?.message).toMatch(/^199001 more discrepancies/);
  });

  it('checks many checkpoints naming many chains in bounded time and memory', async () => {
    // Each chain missing from every later checkpoint: millions of discrepancies, computed and
    // kept one by one before, where the first are enough.
    const { check } = await checkExportText(lines(header, 1500, checkpointLine));
    expect(check.discrepancies.length).toBe(discrepanciesMax + 1);
    expect(check.discrepancies.at(-1)).toMatchObject({ kind: 'discrepancies_omitted' });
  });
});
