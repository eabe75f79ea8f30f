// The public export (issue 16, point 3): this deployment's journal with its hashes, decisions, blocks,
// totals and signed checkpoints as one file of JSON lines, and its checks (core/federation/
// export-check.ts, reconcile.ts) for `jcm verify-export` and `jcm reconcile`. Making one reads the
// whole registry, so the server makes it on a timer (`start`) into a file it then serves as it is:
// a download never costs a read of the history.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import {
  ExportCheck,
  type CheckedExport,
  type Discrepancy,
} from '../core/federation/export-check.ts';
import { exportVersion } from '../core/federation/public-export.ts';
import { reconcile } from '../core/federation/reconcile.ts';
import { ok, reject, type Result } from '../core/shared/result.ts';
import type { Db } from '../db/connect.ts';
import { readPublicExport, type ExportSink } from '../db/public-export.ts';
import { checkpointFromText } from './checkpoints.ts';
import { exportLine, exportLineCharactersMax, parseExportLine } from './export-wire.ts';
import type { FederationConfig } from './federation-config.ts';
import { verifyEd25519 } from './federation-signatures.ts';

/** The public keys trusted for a deployment's checkpoints, when the checker has its own. */
export type TrustedKeys = (deployment: string) => readonly string[] | undefined;

/** The deployment's name in its export when it runs all-in-one (no JCM_FEDERATION). */
export const allInOneDeployment = 'all-in-one';

/** A made export: the file, what it is called when downloaded, and when it was read. */
export interface ExportFile {
  readonly path: string;
  readonly fileName: string;
  readonly exportedAt: string;
}

export interface CheckOutcome {
  readonly exports: readonly CheckedExport[];
  readonly discrepancies: readonly Discrepancy[];
}

export class PublicExports {
  #latest: ExportFile | null = null;
  #dir: string | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #making: Promise<ExportFile> | null = null;
  readonly #reconciling = new Map<string, Promise<Result<CheckOutcome>>>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => string,
    private readonly config: FederationConfig | undefined,
  ) {}

  get deployment(): string {
    return this.config?.self ?? allInOneDeployment;
  }

  /** Reads the export now, record by record, into `sink`. */
  async write(sink: ExportSink): Promise<string> {
    const exportedAt = this.clock();
    const config = this.config;
    await readPublicExport(
      this.db,
      {
        record: 'export',
        version: exportVersion,
        deployment: this.deployment,
        exportedAt,
        keys: config === undefined ? [] : [{ keyId: config.keyId, publicKey: config.publicKey }],
        ...(config === undefined ? {} : { registries: config.registries }),
      },
      sink,
    );
    return exportedAt;
  }

  /** Writes the export to `path` (written beside it, then renamed: never half a file at `path`). */
  async toFile(path: string): Promise<string> {
    const partial = `${path}.partial`;
    const out = createWriteStream(partial, { flags: 'w', mode: 0o644 });
    try {
      const exportedAt = await this.write(async (record) => {
        if (!out.write(`${exportLine(record)}\n`)) await once(out, 'drain');
      });
      out.end();
      await once(out, 'finish');
      await rename(partial, path);
      return exportedAt;
    } catch (error) {
      out.destroy();
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** The export the server made last, or null before the first. */
  latest(): ExportFile | null {
    return this.#latest;
  }

  /** Makes a new export file for the server to serve (one at a time; a call meanwhile joins it). */
  async make(): Promise<ExportFile> {
    this.#making ??= this.#make().finally(() => {
      this.#making = null;
    });
    return this.#making;
  }

  async #make(): Promise<ExportFile> {
    this.#dir ??= await mkdtemp(join(tmpdir(), 'jcm-export-'));
    const path = join(this.#dir, `export-${Date.now()}.ndjson`);
    const exportedAt = await this.toFile(path);
    const previous = this.#latest;
    const stamp = exportedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    this.#latest = { path, fileName: `jcm-export-${this.deployment}-${stamp}.ndjson`, exportedAt };
    // A download under way keeps its open file: unlinking it frees the space when it ends.
    if (previous !== null) await rm(previous.path, { force: true });
    return this.#latest;
  }

  /** Makes one now and every `minutes` while the server runs; a failure is logged, then retried. */
  start(minutes: number, log: (message: string) => void): void {
    const run = () =>
      void this.make().catch((error: unknown) => log(`public export failed: ${String(error)}`));
    run();
    this.#timer = setInterval(run, minutes * 60_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#making?.catch(() => undefined);
    if (this.#dir !== null) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = null;
    this.#latest = null;
  }

  /**
   * Reconciles this deployment with a peer: the peer's public export downloaded from `url` (its
   * checkpoints checked against the keys JCM_FEDERATION registers for it, when it is a peer there),
   * this deployment's read now, each checked, then compared.
   */
  async reconcileWithPeer(url: string, timeoutMs = 600_000): Promise<Result<CheckOutcome>> {
    const base = url.replace(/\/+$/, '');
    let response: Response;
    try {
      response = await fetch(`${base}/api/v1/export`, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      return reject('peer_export_unreadable', `${base}: ${String(error)}`);
    }
    if (!response.ok || response.body === null)
      return reject('peer_export_unreadable', `${base}/api/v1/export answered ${response.status}`);
    const trusted = this.#trustedKeys();
    let peer: Awaited<ReturnType<typeof checkExportText>>;
    try {
      peer = await checkExportText(response.body as unknown as AsyncIterable<Uint8Array>, trusted);
    } catch (error) {
      // Cut off, or still coming when the time was up (a peer dripping its export).
      return reject('peer_export_unreadable', `${base}/api/v1/export: ${String(error)}`);
    }
    const here = await this.checkHere(trusted);
    const outcome = outcomeOf([here, peer]);
    const answered = peer.checked === undefined ? [] : this.#notThePeer(peer.checked, base);
    return ok({ ...outcome, discrepancies: [...answered, ...outcome.discrepancies] });
  }

  /**
   * Whether the export `url` answered with is one of a registered peer's, hosting the registries
   * JCM_FEDERATION says it hosts: another name would be checked against the keys it states, and
   * fewer registries would leave decisions for them uncompared.
   */
  #notThePeer(checked: CheckedExport, url: string): Discrepancy[] {
    const config = this.config;
    if (config === undefined) return [];
    const { deployment, registries } = checked.header;
    const peer = config.peers.find((p) => p.id === deployment);
    const found = (kind: string, message: string) => [
      { kind, deployment, subject: deployment, message },
    ];
    if (peer === undefined)
      return found(
        'export_deployment_unknown',
        `${url} answered with the export of ${deployment}, which JCM_FEDERATION does not register as a peer`,
      );
    const stated = [...registries].sort().join(' ');
    const registered = [...peer.registries].sort().join(' ');
    return stated === registered
      ? []
      : found(
          'registry_hosting_differs',
          `its export says it hosts ${stated || 'nothing'}; JCM_FEDERATION says ${registered}`,
        );
  }

  /**
   * Reconciles with a peer this deployment's configuration registers, by its id (the API and the
   * back office: never an address from the request). One at a time: a call meanwhile joins it.
   */
  async reconcileWithConfiguredPeer(peer: string): Promise<Result<CheckOutcome>> {
    const config = this.config;
    if (config === undefined)
      return reject('federation_not_configured', 'this deployment runs without JCM_FEDERATION');
    const found = config.peers.find((p) => p.id === peer);
    if (found === undefined)
      return reject('peer_not_configured', `${peer} is not a peer of deployment ${config.self}`);
    const running = this.#reconciling.get(peer);
    if (running !== undefined) return running;
    const made = this.reconcileWithPeer(found.url).finally(() => this.#reconciling.delete(peer));
    this.#reconciling.set(peer, made);
    return made;
  }

  /** This deployment's key and its peers' registered ones (none all-in-one). */
  #trustedKeys(): TrustedKeys | undefined {
    const config = this.config;
    if (config === undefined) return undefined;
    return (deployment) =>
      deployment === config.self
        ? [config.publicKey]
        : config.peers.find((p) => p.id === deployment)?.keys.map((k) => k.publicKey);
  }

  /** Checks this deployment's export as it is now, without writing a file. */
  async checkHere(
    trustedKeys?: TrustedKeys,
  ): Promise<{ checked?: CheckedExport; check: ExportCheck }> {
    const check = newCheck(trustedKeys);
    await this.write(async (record) => check.add(record));
    const checked = check.finish();
    return checked === undefined ? { check } : { checked, check };
  }
}

function newCheck(trustedKeys?: TrustedKeys): ExportCheck {
  return new ExportCheck({
    verify: verifyEd25519,
    readCheckpoint: checkpointFromText,
    ...(trustedKeys === undefined ? {} : { trustedKeys }),
  });
}

/** Checks one export read from text chunks (a file, a download); lines are bounded in length. */
export async function checkExportText(
  chunks: AsyncIterable<Uint8Array | string>,
  trustedKeys?: TrustedKeys,
): Promise<{ checked?: CheckedExport; check: ExportCheck }> {
  const check = newCheck(trustedKeys);
  let number = 0;
  for await (const line of linesOf(chunks, exportLineCharactersMax)) {
    number += 1;
    if (line === null) {
      check.malformed(number, `a line longer than ${exportLineCharactersMax} characters`);
      continue;
    }
    if (line.length === 0) continue;
    const record = parseExportLine(line);
    if (record.ok) check.add(record.value);
    else check.malformed(number, record.error.message);
  }
  const checked = check.finish();
  return checked === undefined ? { check } : { checked, check };
}

/** What a checked export is, as the CLI, the API and the back office show it. */
export function exportSummary(e: CheckedExport) {
  return {
    deployment: e.header.deployment,
    registries: e.header.registries.join(' '),
    exportedAt: e.header.exportedAt,
    entries: e.counts.entries,
    blocks: e.counts.blocks,
    checkpoints: e.counts.checkpoints,
    totalsCompared: e.checkpointTotalsCompared,
    keys: e.keysPinned ? 'pinned' : 'as the export states',
  };
}

/** Every export's own discrepancies, then what reconciling them finds. */
export function outcomeOf(
  checks: readonly { checked?: CheckedExport; check: ExportCheck }[],
): CheckOutcome {
  const exports = checks.flatMap((c) => (c.checked === undefined ? [] : [c.checked]));
  return {
    exports,
    discrepancies: [...checks.flatMap((c) => c.check.discrepancies), ...reconcile(exports)],
  };
}

/**
 * The lines of a text stream, without their line ends; null for a line longer than `max` characters
 * (the rest of it is skipped, never held).
 */
export async function* linesOf(
  chunks: AsyncIterable<Uint8Array | string>,
  max: number,
): AsyncGenerator<string | null> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pending = '';
  let skipping = false;
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let end = pending.indexOf('\n');
    while (end !== -1) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (skipping) skipping = false;
      else yield line.length > max ? null : line.replace(/\r$/, '');
      end = pending.indexOf('\n');
    }
    if (pending.length > max) {
      if (!skipping) yield null;
      skipping = true;
      pending = '';
    }
  }
  pending += decoder.decode();
  if (!skipping && pending.length > 0) yield pending.length > max ? null : pending;
}
