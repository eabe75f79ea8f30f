// Wires the services over an open database: the ledger's write pipeline, its queries, reference data
// and the audit. The composition root (main.ts) opens the database and hands it here.
import type { Db } from '../db/connect.ts';
import { runAudit, type AuditReport } from '../db/audit.ts';
import { LedgerWriter } from '../db/ledger-writer.ts';
import { migrate } from '../db/migrate.ts';
import {
  loadReferenceData,
  readReferenceTable,
  type ReferenceTable,
} from '../db/reference-data.ts';
import { LedgerQueries } from './ledger-queries.ts';
import { LedgerService } from './ledger-service.ts';
import { defaultMethodologiesDir, MethodologyCatalogue } from './methodology-catalogue.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rulebook } from '../core/cycle/rulebook.ts';
import { DocumentStore } from '../db/document-store.ts';
import { loadRulebooks } from '../formats/rulebook-file.ts';
import { CycleQueries } from './cycle-queries.ts';
import { Accounts } from './accounts.ts';
import { TransferRequests } from './transfer-requests.ts';
import { CycleService } from './cycle-service.ts';

/** Time as an ISO 8601 UTC string; the only source of time for the services. */
export type Clock = () => string;

export const systemClock: Clock = () => new Date().toISOString();

export interface Platform {
  readonly db: Db;
  readonly ledger: LedgerService;
  readonly queries: LedgerQueries;
  readonly clock: Clock;
  readonly methodologies: MethodologyCatalogue;
  readonly rulebooks: readonly Rulebook[];
  readonly cycle: CycleService;
  readonly cycleQueries: CycleQueries;
  readonly documents: DocumentStore;
  readonly accounts: Accounts;
  readonly transferRequests: TransferRequests;
  audit(): Promise<AuditReport>;
  reference(table: ReferenceTable): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  readonly clock?: Clock;
  /** Folder of the reference CSVs; loaded when given. */
  readonly referenceDataDir?: string;
  /** false: load the reference data only into empty tables (each CLI command need not reload it). */
  readonly reloadReferenceData?: boolean;
  readonly migrate?: boolean;
  readonly batchSizeMax?: number;
  /** Folder of the methodology catalogue (default: methodologies/ of the repository). */
  readonly methodologiesDir?: string;
  /** Folder of the rulebooks (default: rulebooks/ of the repository). */
  readonly rulebooksDir?: string;
  /** Where cycle documents are stored (default: a folder in the system's temporary directory). */
  readonly documentsDir?: string;
}

export async function createPlatform(db: Db, options: PlatformOptions = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const methodologies = await MethodologyCatalogue.load(
    options.methodologiesDir ?? defaultMethodologiesDir,
  );
  if (options.migrate ?? true) await migrate(db);
  if (options.referenceDataDir !== undefined) {
    const loaded =
      options.reloadReferenceData === false &&
      (await db.read((k) =>
        k.selectFrom('ref_partner_countries').select('alpha2').limit(1).executeTakeFirst(),
      )) !== undefined;
    if (!loaded) await loadReferenceData(db, options.referenceDataDir);
  }
  const rulebooks = await loadRulebooks(options.rulebooksDir);
  const documents = new DocumentStore(options.documentsDir ?? join(tmpdir(), 'jcm-documents'));
  const writer = new LedgerWriter(
    db,
    options.batchSizeMax === undefined ? { clock } : { clock, batchSizeMax: options.batchSizeMax },
  );
  const ledger = new LedgerService(db, writer);
  return {
    db,
    ledger,
    rulebooks,
    documents,
    cycle: new CycleService(db, documents, methodologies, rulebooks, ledger, clock),
    cycleQueries: new CycleQueries(db, clock),
    accounts: new Accounts(db, clock),
    transferRequests: new TransferRequests(db, ledger, clock),
    queries: new LedgerQueries(db),
    clock,
    methodologies,
    audit: () => runAudit(db, clock()),
    reference: (table) => readReferenceTable(db, table),
    close: () => db.close(),
  };
}
