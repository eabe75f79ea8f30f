// `jcm federation` (issue 16, docs/OPERATIONS.md "Two deployments"): make this deployment's signing
// key (the private key is written to a file readable by its owner only and never printed; the public
// key is printed for the peers to register), show the links to the peers and the Article 6.2 records
// forwarded to them, and resume a link that a peer's refusal stopped.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Platform } from '../services/platform.ts';
import { federationNotConfigured } from '../services/federation.ts';
import { newDeploymentKeyPair } from '../services/federation-signatures.ts';
import { createOutput } from './output.ts';
import { platformAction, type CliOpts } from './platform-action.ts';

export function registerFederationCommands(
  program: Command,
  openPlatform: () => Promise<Platform>,
): void {
  const federation = program
    .command('federation')
    .description('messages between deployments: signing key, links to the peers (JCM_FEDERATION)');
  const run = platformAction(openPlatform);
  federation
    .command('keygen <file>')
    .description(
      "make an Ed25519 signing key: the private key into <file> (PKCS#8 PEM, mode 0600; refused if the file exists), the public key printed for the peers' JCM_FEDERATION files",
    )
    .action((file: string) => {
      const out = createOutput(program.opts<CliOpts>().json === true);
      const { privateKey, publicKey } = newDeploymentKeyPair();
      try {
        writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
          mode: 0o600,
          flag: 'wx',
        });
      } catch (error) {
        return out.rejection({
          code: 'invalid_request',
          message: `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        });
      }
      const answer = { privateKeyFile: file, publicKey };
      out.data(
        answer,
        () =>
          `private key written to ${file} (keep it on this machine)\npublic key, for the peers: ${answer.publicKey}`,
      );
    });
  federation
    .command('links')
    .description('the links to and from the peers: messages waiting, acknowledged, held, stopped')
    .action(
      run(async (platform, out) => {
        if (platform.federation === null) return out.rejection(federationNotConfigured);
        const links = await platform.federation.links();
        out.data(
          links,
          () =>
            [
              ...links.outgoing.map(
                (l) =>
                  `to ${l.receiver}: ${l.lastSequence} written, ${l.acknowledged} acknowledged${l.stoppedBy === undefined ? '' : `, STOPPED at ${l.stoppedBy.sequence} (${l.stoppedBy.code})`}${l.lastError === null ? '' : `; last error: ${l.lastError}`}`,
              ),
              ...links.incoming.map(
                (l) => `from ${l.sender}: awaiting ${l.next}, ${l.held} held after a gap`,
              ),
            ].join('\n') || 'no messages sent or received yet',
        );
      }),
    );
  forwardedCommand(federation, run);
  sendAccountsCommand(federation, run);
  federation
    .command('resume <peer>')
    .description('send again on a link a refusal stopped (after the cause is fixed)')
    .action(
      run(async (platform, out, _opts, [peer]) => {
        if (platform.federation === null) return out.rejection(federationNotConfigured);
        const resumed = await platform.federation.resume(String(peer));
        if (!resumed)
          return out.rejection({
            code: 'federation_link_unknown',
            message: `no link to ${String(peer)}`,
          });
        out.data({ resumed: peer }, () => `the link to ${String(peer)} sends again`);
      }),
    );
}

/** `jcm federation forwarded`: the Article 6.2 records sent to peers and what became of them. */
function forwardedCommand(federation: Command, run: ReturnType<typeof platformAction>): void {
  federation
    .command('forwarded')
    .description(
      "the Article 6.2 records forwarded to the peers (a Party's authorisations and confirmations of credits in their registries), newest first: refused there with the code, acknowledged there (recorded, or its refusal on its way back), or on the way",
    )
    .option('--limit <n>', 'how many, at most 1000', '50')
    .action(
      run(async (platform, out, opts) => {
        if (platform.federation === null) return out.rejection(federationNotConfigured);
        const limit = Number(opts['limit']);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
          return out.rejection({ code: 'invalid_request', message: '--limit: 1 to 1000' });
        const records = await platform.federation.forwarded(limit);
        out.data(
          records,
          () =>
            records
              .map(
                (r) =>
                  `${r.recordedAt} ${r.kind} of ${r.authorisation} (${r.registry}) by ${r.actor}, message ${r.sequence}: ${r.status}${r.refused === null ? '' : ` (${oneLine(r.refused.message)})`}`,
              )
              .join('\n') || 'no records forwarded',
        );
      }),
    );
}

/** A peer's words on one line of this terminal: its control characters (line breaks too) as spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** `jcm federation send-accounts`: this deployment's accounts reported to the peers again. */
function sendAccountsCommand(federation: Command, run: ReturnType<typeof platformAction>): void {
  federation
    .command('send-accounts')
    .description(
      "report every account of this deployment's registries to the peers again (account_record): for accounts opened before it ran with JCM_FEDERATION, which the peers' cycle needs to decide issuances into them",
    )
    .action(
      run(async (platform, out) => {
        if (platform.federation === null) return out.rejection(federationNotConfigured);
        const written = await platform.federation.sendAccounts();
        out.data({ written }, () => `${written} account records written to the peers' links`);
      }),
    );
}
