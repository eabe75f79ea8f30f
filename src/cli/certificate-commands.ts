// `jcm certificate <chain> <seq>`: the certificate of an issuance or retirement entry (issue 15),
// written as a PDF with --out, else shown with the journal's checks of it; `--hash` checks the hash a
// paper certificate states, as the verification page does.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Platform } from '../services/platform.ts';
import { readableCredits } from '../core/shared/readable.ts';
import { platformAction } from './platform-action.ts';

export function registerCertificateCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const run = platformAction(openPlatform);
  program
    .command('certificate <chain> <seq>')
    .description('the certificate of an issuance or retirement entry, as PDF (--out) or checked')
    .option('--out <file>', 'write the certificate as a PDF file')
    .option('--hash <sha256>', 'check that the journal holds this hash for the entry')
    .action(
      run(async (platform, out, o, [chain, seq]) => {
        const file = o['out'] === undefined ? undefined : String(o['out']);
        if (file !== undefined) {
          const pdf = await platform.certificates.pdf(chain ?? '', seq ?? '');
          if (!pdf.ok) return out.rejection(pdf.error);
          writeFileSync(file, pdf.value.bytes);
          return out.data(
            { written: file, bytes: pdf.value.bytes.length },
            () => `wrote ${file} (${pdf.value.bytes.length} bytes)`,
          );
        }
        const hash = o['hash'] === undefined ? undefined : String(o['hash']);
        const verified = await platform.certificates.verify(chain ?? '', seq ?? '', hash);
        if (!verified.ok) return out.rejection(verified.error);
        const { certificate: c, matches, checks } = verified.value;
        out.data(verified.value, () =>
          [
            `certificate of ${c.kind}, ${c.chain} #${c.seq}: ${matches ? 'matches the journal' : 'DOES NOT MATCH the journal'}`,
            `${readableCredits(c.quantity)} ${c.kind === 'issuance' ? 'issued into' : 'retired from'} ${c.account}${c.holderName === null ? '' : ` (${c.holderName})`}`,
            ...(c.beneficiary === undefined ? [] : [`beneficiary: ${c.beneficiary}`]),
            ...(c.purpose === undefined ? [] : [`purpose: ${c.purpose}`]),
            ...c.blocks.map((b) => `  ${b.blockId}  ${b.quantity}`),
            `hash ${c.hash}`,
            ...checks.map((k) => `${k.passed ? 'passed' : 'FAILED'}: ${k.check}`),
            `verify at ${c.verifyUrl}`,
          ].join('\n'),
        );
        if (!matches) process.exitCode = 1;
      }),
    );
}
