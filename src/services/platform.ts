// Wires the services over an open database: the one write pipeline and its families (the ledger's
// writer, the project cycle, organisations, accounts, transfer requests), the outbox relay, the read
// queries, reference data and the audit. The composition root (main.ts) opens the database and hands
// it here; nothing above this file sees the database handle.
import type { RegistryId } from '../core/shared/ids.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rulebook } from '../core/cycle/rulebook.ts';
import { recentAuditRuns, runAudit, type AuditProgress, type AuditReport } from '../db/audit.ts';
export type { AuditProgress } from '../db/audit.ts';
import type { Db, DbKind } from '../db/connect.ts';
import { primaryReads, publicReads, type ReplicaStatus } from '../db/replica.ts';
import { CycleQueries } from '../db/cycle-queries.ts';
import { CycleStore } from '../db/cycle-store.ts';
import { DocumentStore } from '../db/document-store.ts';
import { LedgerQueries } from '../db/ledger-queries.ts';
import { methodologyEntries, methodologyEntryKeys } from '../db/methodology-entries.ts';
import { migrate } from '../db/migrate.ts';
import { PortalQueries } from '../db/portal-queries.ts';
import {
  loadReferenceDataIfChanged,
  readReferenceTable,
  type ReferenceTable,
} from '../db/reference-data.ts';
import { loadRulebooks } from '../formats/rulebook-file.ts';
import { Article6Writes } from './article6.ts';
import { Article6Reads } from './article6-reads.ts';
import { Article6Queries } from '../db/article6-queries.ts';
import { Article6ReportQueries } from '../db/article6-report-queries.ts';
import { loadAefDescription } from '../formats/aef-description-file.ts';
import {
  loadPartnershipsIfChanged,
  PartnershipQueries,
  partnershipFilesHash,
} from '../db/partnership-store.ts';
import { parsePartnershipFiles, readPartnershipFiles } from '../formats/partnership-file.ts';
import { Accounts } from './accounts.ts';
import { systemClock, type Clock } from './clock.ts';
import { Comments } from './comments.ts';
import { ConfidentialDocuments } from './confidential-documents.ts';
import { CycleWrites } from './cycle-writes.ts';
import { ExternalRegistrations } from './external-registrations.ts';
import { LedgerService, type Hosting } from './ledger-service.ts';
import { defaultMethodologiesDir, MethodologyCatalogue } from './methodology-catalogue.ts';
import { Organisations } from './organisations.ts';
import { defaultPoolOptions, type PoolOptions } from './calculation-pool.ts';
import { OutboxRelay } from './outbox-relay.ts';
import { Federation, type FederationOptions } from './federation.ts';
import { Checkpoints } from './checkpoints.ts';
import { PublicExports } from './public-exports.ts';
import { issuanceAppliers } from './federation-issuance.ts';
import { Article6Forwarding, article6Appliers } from './federation-article6.ts';
import { accountAppliers } from './federation-accounts.ts';
import { produceMessages } from './federation-producer.ts';
import { syncHostedElsewhere } from '../db/peer-issuance-store.ts';
import { measuredWriter, type PlatformMetrics } from './platform-metrics.ts';
import { TransferRequests } from './transfer-requests.ts';
import { WritePipeline } from './write-pipeline.ts';
import { CertificateQueries } from '../db/certificate-queries.ts';
import { Certificates } from './certificates.ts';
import { serverBackups, ServerBackups } from './backup.ts';
// Histories, reports and the register of retirements (issue 15, lane H2)
import type { Histories } from './histories.ts';
import { registryReads, type RegistryReports } from './registry-reports.ts';

export { referenceTables, type ReferenceTable } from '../db/reference-data.ts';

export { systemClock, type Clock } from './clock.ts';
export { databaseUnavailableRejection, isDatabaseUnavailable } from '../db/unavailable.ts';
export { type ReplicaStatus } from '../db/replica.ts';

/** Readiness (GET /ready): whether the primary answers, and the read replica's state if any. */
export interface Readiness {
  readonly primary: boolean;
  /** Null without a replica (DATABASE_READ_URL unset). */
  readonly replica: ReplicaStatus | null;
}

/** The writes whose time comes from a clock (the demo runs them on its scripted days). */
export interface ClockedWrites {
  readonly cycle: CycleWrites;
  readonly organisations: Organisations;
  /** Public comments of the public input periods, and their moderation. */
  readonly comments: Comments;
}

export interface Platform extends ClockedWrites {
  readonly kind: DbKind;
  readonly ledger: LedgerService;
  /** Article 6.2 writes: approaches, authorisations, confirmations, assignments, finalisations. */
  readonly article6Writes: Article6Writes;
  /** Article 6.2 reads: approaches, authorisations, actions, adjustments, the AEF and its checks. */
  readonly article6: Article6Reads;
  readonly queries: LedgerQueries;
  readonly clock: Clock;
  readonly methodologies: MethodologyCatalogue;
  readonly rulebooks: readonly Rulebook[];
  /** The partnerships as records (partnerships/*.yaml, stored at start). */
  readonly partnerships: PartnershipQueries;
  readonly cycleQueries: CycleQueries;
  readonly portal: PortalQueries;
  readonly accounts: Accounts;
  readonly transferRequests: TransferRequests;
  readonly outbox: OutboxRelay;
  /** The confidential full versions of documents, for the project's TPE and the Joint Committee. */
  readonly confidentialDocuments: ConfidentialDocuments;
  /** A project's registrations in other mechanisms, and the conclusions on possible duplicates. */
  readonly externalRegistrations: ExternalRegistrations;
  /** Certificates of issuance and retirement, and their verification (issue 15). */
  readonly certificates: Certificates;
  /** The writer's batches and queue and the database's connections, for /metrics (issue 15). */
  readonly metrics: PlatformMetrics;
  /** The same writes on another clock. */
  withClock(clock: Clock): ClockedWrites;
  /** The public version of a cycle document, or null. */
  document(
    sha256: string,
  ): Promise<{ mediaType: string; fileName: string; bytes: Uint8Array } | null>;
  /** `progress` hears where a long audit is (lane S2 of issue 15). */
  audit(progress?: (p: AuditProgress) => void): Promise<AuditReport>;
  /** Backups the server takes of its own database and documents (issue 15, lane R2). */
  readonly backups: ServerBackups;
  recentAudits(limit: number): ReturnType<typeof recentAuditRuns>;
  reference(table: ReferenceTable): Promise<Record<string, unknown>[]>;
  /** Checks the primary (never the replica) and, with a replica, samples its position now. */
  readiness(): Promise<Readiness>;
  /**
   * Runs `fn` as a public read, which the read replica may serve (the HTTP edge marks anonymous GET
   * and HEAD so). The replica's scope is an AsyncLocalStorage, whose promise hooks, once entered, tax
   * every promise of the process; so it is entered only when a replica is open (DATABASE_READ_URL),
   * and without one `fn` simply runs.
   */
  publicReads<T>(fn: () => T): T;
  close(): Promise<void>;
  /** Transaction histories and the register of retirements (issue 15, lane H2). */
  readonly histories: Histories;
  /** The links to peer deployments (issue 16); null when the deployment runs all-in-one. */
  readonly federation: Federation | null;
  /** Signed checkpoints of the registries hosted here (issue 16); made only with JCM_FEDERATION's key. */
  readonly checkpoints: Checkpoints;
  /** The public export of this deployment and its checks (issue 16): `jcm verify-export`, `jcm reconcile`. */
  readonly exports: PublicExports;
  /** The reports Japan's registry publishes (issue 15, lane H2). */
  readonly registryReports: RegistryReports;
}

export interface PlatformOptions {
  readonly clock?: Clock;
  /** Folder of the reference CSVs; loaded when given and changed since the last load. */
  readonly referenceDataDir?: string;
  readonly migrate?: boolean;
  readonly batchSizeMax?: number;
  /** Folder of the methodology catalogue (default: methodologies/ of the repository). */
  readonly methodologiesDir?: string;
  /** The calculation workers (default: defaultPoolOptions; main.ts reads `JCM_CALC_*`). */
  readonly calculationPool?: PoolOptions;
  /** Folder of the rulebooks (default: rulebooks/ of the repository). */
  readonly rulebooksDir?: string;
  /** Folder of the partnership records (default: partnerships/ of the repository). */
  readonly partnershipsDir?: string;
  /** Where cycle documents are stored (default: a folder in the system's temporary directory). */
  readonly documentsDir?: string;
  /** Where POST /api/v1/backups writes, and the URL and tools pg_dump needs (issue 15, lane R2). */
  readonly backup?: {
    readonly dir: string;
    readonly postgresUrl?: string;
    readonly pgBin?: string;
  };
  /** The registry's public address, printed (and put in QR codes) on certificates (JCM_PUBLIC_URL). */
  readonly publicUrl?: string;
  /** The peers this deployment exchanges signed messages with (JCM_FEDERATION, issue 16). */
  readonly federation?: FederationOptions;
}

/** The public address when none is configured: the server's own default address. */
export const defaultPublicUrl = 'http://localhost:3000';

function certificatesOf(db: Db, options: PlatformOptions): Certificates {
  const publicUrl = (options.publicUrl ?? defaultPublicUrl).replace(/\/+$/, '');
  return new Certificates(new CertificateQueries(db), publicUrl);
}

async function prepareDatabase(db: Db, options: PlatformOptions): Promise<void> {
  if (options.migrate ?? true) await migrate(db);
  if (options.referenceDataDir !== undefined)
    await loadReferenceDataIfChanged(db, options.referenceDataDir);
}

/**
 * Reads the partnership records and stores them when their files changed; a record naming a
 * rulebook that does not exist stops the start, like a malformed file.
 */
async function loadPartnerships(
  db: Db,
  rulebooks: readonly Rulebook[],
  options: PlatformOptions,
): Promise<void> {
  const files = await readPartnershipFiles(options.partnershipsDir);
  const records = parsePartnershipFiles(files);
  const scopes = new Set(
    rulebooks.flatMap((r) => ('partnership' in r.scope ? [r.scope.partnership] : [])),
  );
  const missing = records.filter((p) => p.rulebook !== null && !scopes.has(p.rulebook));
  if (missing.length > 0)
    throw new Error(
      `the partnership files name rulebooks that do not exist: ${missing.map((p) => `${p.code} -> rulebooks/${p.rulebook ?? ''}.yaml`).join(', ')}`,
    );
  await loadPartnershipsIfChanged(db, records, partnershipFilesHash(files));
}

const justRun = <T>(fn: () => T): T => fn();

/** Readiness, and the scope of public reads: the replica's only when one is open. */
function replicaSide(db: Db, queries: LedgerQueries): Pick<Platform, 'readiness' | 'publicReads'> {
  return {
    readiness: () => readinessOf(db, queries),
    publicReads: db.replica === undefined ? justRun : publicReads,
  };
}

/** Read replica (issue 15, lane R1): the primary checked as such, the replica sampled now. */
async function readinessOf(db: Db, queries: LedgerQueries): Promise<Readiness> {
  // Without a replica every read is on the primary: no scope to enter (see Platform.publicReads).
  const [primary] = await Promise.all([
    db.replica === undefined ? queries.reachable() : primaryReads(() => queries.reachable()),
    db.replica?.check(),
  ]);
  return { primary, replica: db.replica?.status() ?? null };
}

/** The public version of a cycle document: its row says it is public, the store has its bytes. */
function publicDocument(
  cycleQueries: CycleQueries,
  documents: DocumentStore,
): Platform['document'] {
  return async (sha256) => {
    const row = await cycleQueries.publicDocument(sha256);
    const bytes = row === undefined ? null : await documents.get(sha256);
    return row === undefined || bytes === null
      ? null
      : { mediaType: row.media_type, fileName: row.file_name, bytes };
  };
}

export async function createPlatform(db: Db, options: PlatformOptions = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const methodologies = await MethodologyCatalogue.load(
    options.methodologiesDir ?? defaultMethodologiesDir,
    options.calculationPool ?? defaultPoolOptions,
  );
  await prepareDatabase(db, options);
  const rulebooks = await loadRulebooks(options.rulebooksDir);
  const aefDescription = await loadAefDescription();
  await loadPartnerships(db, rulebooks, options);
  const documents = new DocumentStore(options.documentsDir ?? join(tmpdir(), 'jcm-documents'));
  const outbox = new OutboxRelay(db);
  const poke = () => outbox.poke();
  const { writer, metrics } = measuredWriter(db, clock, options.batchSizeMax);
  const queries = new LedgerQueries(db);
  const ledger = new LedgerService(queries, writer, poke, hostingOf(options.federation));
  methodologies.attach({
    keys: () => methodologyEntryKeys(db),
    entries: (keys) => methodologyEntries(db, keys),
  });
  const cycleStore = new CycleStore(documents, rulebooks, () => methodologies.fileIds());
  const cycleQueries = new CycleQueries(db, clock);
  const partnerships = new PartnershipQueries(db);
  const pipeline = new WritePipeline(db, clock, poke);
  const clocked = (at: Clock): ClockedWrites => {
    const atPipeline = at === clock ? pipeline : new WritePipeline(db, at, poke);
    return {
      cycle: new CycleWrites(atPipeline, cycleStore, ledger, methodologies, db, partnerships),
      organisations: new Organisations(atPipeline),
      comments: new Comments(atPipeline, db, at),
    };
  };
  const portal = new PortalQueries(db);
  const federated = { pipeline, clock, ledger, outbox, options: options.federation };
  const deployment = await deploymentParts(db, federated);
  return {
    kind: db.kind,
    ...registryReads(db, portal, () => new Date(clock())),
    ...clocked(clock),
    withClock: clocked,
    ledger,
    article6Writes: new Article6Writes(db, ledger, partnerships, rulebooks, deployment.forwarding),
    article6: new Article6Reads(
      new Article6Queries(db),
      new Article6ReportQueries(db),
      partnerships,
      aefDescription,
      clock,
    ),
    queries,
    rulebooks,
    partnerships,
    cycleQueries,
    portal,
    accounts: new Accounts(db, pipeline, clock),
    transferRequests: new TransferRequests(pipeline, ledger, db),
    outbox,
    confidentialDocuments: new ConfidentialDocuments(pipeline, documents),
    externalRegistrations: new ExternalRegistrations(pipeline, db),
    certificates: certificatesOf(db, options),
    metrics,
    clock,
    methodologies,
    document: publicDocument(cycleQueries, documents),
    audit: (progress) => runAudit(db, clock(), progress),
    backups: serverBackups(db, options, clock),
    recentAudits: (limit) => recentAuditRuns(db, limit),
    reference: (table) => readReferenceTable(db, table),
    ...replicaSide(db, queries),
    ...deployment,
    close: async () => {
      await deployment.stop();
      outbox.stop();
      await outbox.idle();
      await methodologies.close();
      await db.close();
    },
  };
}

/**
 * What a deployment shows its peers and the public (issue 16): links, checkpoints, the export. With
 * JCM_FEDERATION, the registries its peers host are written down for the database's guard, the
 * issuance messages are applied when they come and written from the outbox as writes commit.
 */
async function deploymentParts(
  db: Db,
  parts: {
    pipeline: WritePipeline;
    clock: Clock;
    ledger: LedgerService;
    outbox: OutboxRelay;
    options: FederationOptions | undefined;
  },
): Promise<
  Pick<Platform, 'federation' | 'checkpoints' | 'exports'> & {
    forwarding: Article6Forwarding | null;
    stop(): Promise<void>;
  }
> {
  const { pipeline, clock, ledger, outbox, options } = parts;
  const config = options?.config;
  await syncHostedElsewhere(db, hostedByPeers(options));
  let federation: Federation | null = null;
  let forwarding: Article6Forwarding | null = null;
  if (options !== undefined && config !== undefined) {
    const appliers = {
      ...issuanceAppliers(config, ledger),
      ...article6Appliers(config, ledger),
      ...accountAppliers(config),
      ...options.appliers,
    };
    const links = new Federation(db, pipeline, clock, { ...options, appliers });
    outbox.subscribe((rows, tx) =>
      produceMessages(tx, rows, config, clock()).then(() => undefined),
    );
    outbox.afterDrain(() => links.delivery.poke());
    forwarding = new Article6Forwarding(pipeline, config, () => links.delivery.poke());
    federation = links;
  }
  const checkpoints = new Checkpoints(db, pipeline, config ?? null, clock);
  const exports = new PublicExports(db, clock, config);
  const stop = async () => {
    await federation?.delivery.stop();
    await checkpoints.stop();
    await exports.stop();
  };
  return { federation, forwarding, checkpoints, exports, stop };
}

/** The registries this deployment's peers host, each with its peer (none all-in-one). */
function hostedByPeers(options: FederationOptions | undefined) {
  return (options?.config.peers ?? []).flatMap((p) =>
    p.registries.map((registry) => ({ registry: registry as RegistryId, deployment: p.id })),
  );
}

/** Writes to the registries the peers host are theirs (ledger-service.ts `forHosting`). */
function hostingOf(options: FederationOptions | undefined): Hosting {
  return { elsewhere: hostedByPeers(options).map((h) => h.registry) };
}
