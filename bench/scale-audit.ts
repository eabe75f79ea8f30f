// The audit side of `npm run bench:scale`, run in a child process of its own so that its peak RSS is
// the audit's alone: `tsx bench/scale-audit.ts <postgres URL | pglite data folder>`. Prints one JSON
// line: the audit's wall time, peak RSS, whether it passed, and the hashing rate of the audit's own
// hash check (entryHash over prev_hash || entry, as checkJournalRow does it) against raw SHA-256 of
// node:crypto over the same bytes, on up to `sampleMax` journal entries read in keyset pages.
import { createHash } from 'node:crypto';
import { entryHash } from '../src/core/ledger/journal.ts';
import { runAudit } from '../src/db/audit.ts';
import { openDb, type Db } from '../src/db/connect.ts';
import { sha256Hex } from '../src/db/sha256.ts';

const target = process.argv[2] ?? '';
const sampleMax = Number(process.env['BENCH_HASH_SAMPLE'] ?? 200_000);

async function journalSample(db: Db): Promise<{ prev: string; entry: string; hash: string }[]> {
  const rows: { prev: string; entry: string; hash: string }[] = [];
  let after = 0n;
  while (rows.length < sampleMax) {
    const page = await db.read((k) =>
      k
        .selectFrom('journal')
        .select(['seq', 'prev_hash', 'entry', 'hash'])
        .where('chain', '=', 'JP')
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(5000)
        .execute(),
    );
    for (const r of page) rows.push({ prev: r.prev_hash, entry: r.entry, hash: r.hash });
    if (page.length < 5000) break;
    after = page[page.length - 1]?.seq ?? after;
  }
  return rows;
}

/** The best of three timings of `f`, in seconds. */
function best(f: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    f();
    fastest = Math.min(fastest, (performance.now() - started) / 1000);
  }
  return fastest;
}

const db = await openDb(
  target.startsWith('postgres')
    ? { kind: 'postgres', url: target }
    : { kind: 'pglite', dataDir: target },
);
const started = performance.now();
let lastPrinted = 0;
let journalSeconds = 0;
const report = await runAudit(db, new Date().toISOString(), (p) => {
  const now = performance.now();
  if (p.step === 'sql_journal') journalSeconds = (now - started) / 1000;
  if (p.step === 'journal' && now - lastPrinted < 10_000) return;
  lastPrinted = now;
  process.stderr.write(
    `  audit ${((now - started) / 1000).toFixed(0)} s: ${p.step === 'journal' ? `${p.chain} ${p.entries}/${p.of}` : p.step}\n`,
  );
});
const auditSeconds = (performance.now() - started) / 1000;
const auditRssMiB = process.resourceUsage().maxRSS / 1024;
const sample = await journalSample(db);
await db.close();
const bytes = sample.map((r) => Buffer.from(r.prev + r.entry, 'utf8'));
const totalBytes = bytes.reduce((sum, b) => sum + b.length, 0);
let bad = 0;
const auditHash = best(() => {
  bad = 0;
  for (const r of sample) if (entryHash(sha256Hex, r.prev, r.entry) !== r.hash) bad++;
});
const rawHash = best(() => {
  for (const b of bytes) createHash('sha256').update(b).digest();
});
process.stdout.write(
  `${JSON.stringify({
    passed: report.passed,
    kinds: report.kinds,
    entries: report.chains.reduce((sum, c) => sum + Number(c.entries), 0),
    auditSeconds,
    auditRssMiB,
    hashSample: sample.length,
    hashBytes: totalBytes,
    hashBad: bad,
    auditHashMBs: totalBytes / auditHash / 1e6,
    rawHashMBs: totalBytes / rawHash / 1e6,
    hashRatio: rawHash / auditHash,
    // The whole journal step (read in pages, hash, link, parse, replay, compare actions) against raw
    // SHA-256 over the journal's bytes (estimated from the sample's mean entry size).
    journalSeconds,
    journalStepRatio:
      ((totalBytes / Math.max(1, sample.length)) *
        report.chains.reduce((sum, c) => sum + Number(c.entries), 0)) /
      journalSeconds /
      (totalBytes / rawHash),
  })}\n`,
);
