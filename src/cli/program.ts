// The `jcm` command line. Every command opens the platform, does one thing through the same services
// as the API, prints a readable answer or JSON (--json), and closes. Writes take the global --actor
// and --as (the operator), --idempotency-key and --dry-run.
import { Command, CommanderError } from 'commander';
import { hasControlCharacter } from '../core/shared/control-characters.ts';
import type { MethodologyCatalogue } from '../services/methodology-catalogue.ts';
import type { Platform } from '../services/platform.ts';
import { registerAccountCommands } from './account-commands.ts';
import { registerArticle6Commands } from './article6-commands.ts';
import { registerArticle6Reads } from './article6-read-commands.ts';
import { registerAdminCommands } from './admin-commands.ts';
import { registerBackupCommands, type BackupDeps } from './backup-commands.ts';
import { registerCycleCommands } from './cycle-commands.ts';
import { registerLedgerCommands } from './ledger-commands.ts';
import { registerMethodologyCommands } from './methodology-commands.ts';
import { registerPartnershipCommands } from './partnership-commands.ts';
import { registerTransferRequestCommands } from './transfer-request-commands.ts';
import { registerCertificateCommands } from './certificate-commands.ts';
// Histories, reports and the register of retirements (issue 15, lane H2)
import { registerHistoryCommands } from './history-commands.ts';
import { registerRegistryReportCommands } from './registry-report-commands.ts';
import { registerFederationCommands } from './federation-commands.ts';
import { registerCheckpointCommands } from './checkpoint-commands.ts';
import { registerExportCommands } from './export-commands.ts';

export interface CliDeps {
  readonly openPlatform: () => Promise<Platform>;
  readonly serve: (options: { port?: number }) => Promise<void>;
  readonly migrate: () => Promise<string[]>;
  readonly user: string;
  /** The methodology catalogue, read without opening the database. */
  readonly openCatalogue: () => Promise<MethodologyCatalogue>;
  /** `jcm backup` and `jcm restore` (issue 15, lane R2): the configured database and folders. */
  readonly backup?: BackupDeps;
}

export function buildProgram(deps: CliDeps): Command {
  const program = new Command('jcm')
    .description(
      'The Joint Crediting Mechanism platform: registries, ledger, methodologies and audit',
    )
    .showHelpAfterError();
  program
    .option('--json', 'print JSON')
    .option(
      '--as <roles>',
      'roles of the acting operator, e.g. registry_manager:JP',
      'administrator',
    )
    .option('--actor <id>', 'actor id recorded in the journal', `cli:${deps.user}`)
    .option('--idempotency-key <key>', 'idempotency key of a write (default: a new random key)')
    .option('--dry-run', 'decide a write and print its answer without writing anything');
  // The edge's rule for text holds on the command line too: no control characters in any argument
  // or option (a terminal escape in a user's name, a NUL in an id).
  program.hook('preAction', (_program, action) => {
    const texts = [...action.args, ...Object.values({ ...program.opts(), ...action.opts() })];
    const at = texts.findIndex((t) => typeof t === 'string' && hasControlCharacter(t));
    if (at >= 0)
      throw new CommanderError(
        1,
        'control_character_refused',
        'error control_character_refused: control characters other than tab, CR and LF are refused in arguments and options',
      );
  });
  registerAdminCommands(program, deps);
  if (deps.backup !== undefined) registerBackupCommands(program, deps.backup);
  registerLedgerCommands(program, deps.openPlatform);
  registerTransferRequestCommands(program, deps.openPlatform);
  registerMethodologyCommands(program, deps.openCatalogue);
  registerCycleCommands(program, deps.openPlatform);
  registerPartnershipCommands(program, deps.openPlatform);
  registerAccountCommands(program, deps.openPlatform);
  // Certificates of issuance and retirement (issue 15, lane C).
  registerCertificateCommands(program, deps.openPlatform);
  registerArticle6Reads(
    program,
    registerArticle6Commands(program, deps.openPlatform),
    deps.openPlatform,
  );
  registerHistoryCommands(program, deps.openPlatform);
  registerRegistryReportCommands(program, deps.openPlatform);
  registerFederationCommands(program, deps.openPlatform); // issue 16
  registerCheckpointCommands(program, deps.openPlatform); // issue 16
  registerExportCommands(program, deps.openPlatform); // issue 16
  return program;
}
