// The measured side of `npm run bench:export`, in a child process of its own so that its peak RSS is
// its own: `tsx bench/export-run.ts make <postgres URL | pglite folder> <file>` writes the public
// export of that database to <file> as the server makes it (one REPEATABLE READ, READ ONLY
// transaction); `tsx bench/export-run.ts verify <file>` checks it offline as `jcm verify-export`
// does (journal links, replay, decisions, blocks, totals, checkpoints, first transfers). Each prints
// one JSON line: wall seconds, peak RSS in MiB and what it counted.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { openDb } from '../src/db/connect.ts';
import { PublicExports, checkExportText } from '../src/services/public-exports.ts';

const [what, first, second] = process.argv.slice(2);
const started = performance.now();
const seconds = () => (performance.now() - started) / 1000;
const rssMiB = () => process.resourceUsage().maxRSS / 1024;

if (what === 'make' && first !== undefined && second !== undefined) {
  const db = await openDb(
    first.startsWith('postgres')
      ? { kind: 'postgres', url: first, poolSize: 2 }
      : { kind: 'pglite', dataDir: first },
  );
  await new PublicExports(db, () => new Date().toISOString(), undefined).toFile(second);
  await db.close();
  const bytes = (await stat(second)).size;
  console.log(JSON.stringify({ seconds: seconds(), rssMiB: rssMiB(), bytes }));
} else if (what === 'verify' && first !== undefined) {
  const { checked, check } = await checkExportText(createReadStream(first));
  console.log(
    JSON.stringify({
      seconds: seconds(),
      rssMiB: rssMiB(),
      entries: String(checked?.counts.entries ?? 0n),
      blocks: String(checked?.counts.blocks ?? 0n),
      discrepancies: check.discrepancies.length,
      kinds: [...new Set(check.discrepancies.map((d) => d.kind))],
    }),
  );
} else {
  console.error('usage: export-run.ts make <postgres URL | pglite folder> <file> | verify <file>');
  process.exitCode = 2;
}
