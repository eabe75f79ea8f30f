// Composition root: the only place that reads configuration (environment variables) and wires the
// adapters: PGlite in JCM_DATA_DIR or PostgreSQL at DATABASE_URL, the services, the HTTP server and
// the command line.
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTrustedProxies } from './http/client-address.ts';
import { buildProgram } from './cli/program.ts';
import type { BackupDeps } from './cli/backup-commands.ts';
import { MethodologyCatalogue } from './services/methodology-catalogue.ts';
import { poolOptionsFrom, type PoolOptions } from './services/calculation-pool.ts';
import { openDb, type Db } from './db/connect.ts';
import { defaultReplicaOptions, type ReplicaOptions } from './db/replica.ts';
import { migrate } from './db/migrate.ts';
import {
  createPlatform,
  isDatabaseUnavailable,
  type Platform,
  type PlatformOptions,
} from './services/platform.ts';
import { loadFederationConfig } from './services/federation-config.ts';
import type { Logger } from 'pino';
import { databaseUnavailable } from './cli/platform-action.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  readonly port: number;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** DATABASE_READ_URL: a streaming replica for the public reads of `serve` (docs/OPERATIONS.md). */
  readonly databaseReadUrl: string | undefined;
  /**
   * JCM_READ_MAX_LAG_MS, JCM_READ_CHECK_MS and JCM_READ_STATEMENT_TIMEOUT_MS: the replica's
   * staleness bound, check interval and statement timeout.
   */
  readonly replica: ReplicaOptions;
  readonly logLevel: string;
  readonly devToken: string | undefined;
  /** JCM_TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For names the client (serve only). */
  readonly trustedProxies: string | undefined;
  /** JCM_CALC_*: the calculation workers (docs/OPERATIONS.md). */
  readonly calculationPool: PoolOptions;
  /** JCM_PUBLIC_URL: the registry's public address on certificates (default http://localhost:PORT). */
  readonly publicUrl: string;
  /** JCM_FEDERATION: the file naming this deployment, its signing key and its peers (issue 16). */
  readonly federationFile: string | undefined;
  /** JCM_CHECKPOINT_MINUTES: how often the hosted registries sign a checkpoint (default 60). */
  readonly checkpointMinutes: number;
  /** JCM_EXPORT_MINUTES: how often the server remakes its public export (default 60). */
  readonly exportMinutes: number;
}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const port = Number(env['PORT'] ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not ${env['PORT']}`);
  return {
    port,
    dataDir: resolve(env['JCM_DATA_DIR'] ?? './.jcm-data'),
    databaseUrl: env['DATABASE_URL'] || undefined,
    databaseReadUrl: env['DATABASE_READ_URL'] || undefined,
    replica: replicaOptionsFrom(env),
    logLevel: env['LOG_LEVEL'] ?? 'info',
    devToken: env['JCM_DEV_TOKEN'] || undefined,
    trustedProxies: env['JCM_TRUSTED_PROXIES']?.trim() || undefined,
    calculationPool: poolOptionsFrom(env),
    publicUrl: publicUrlOf(env['JCM_PUBLIC_URL'], port),
    federationFile: env['JCM_FEDERATION'] ? resolve(env['JCM_FEDERATION']) : undefined,
    checkpointMinutes: minutesOf('JCM_CHECKPOINT_MINUTES', env['JCM_CHECKPOINT_MINUTES']),
    exportMinutes: minutesOf('JCM_EXPORT_MINUTES', env['JCM_EXPORT_MINUTES']),
  };
}

function minutesOf(name: string, raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 60;
  const minutes = Number(raw);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10_080)
    throw new Error(`${name} must be a whole number of minutes from 1 to 10080, not ${raw}`);
  return minutes;
}

/** The public address: an http(s) URL without query or fragment; else the server's own address. */
function publicUrlOf(raw: string | undefined, port: number): string {
  if (raw === undefined || raw.trim() === '') return `http://localhost:${port}`;
  const url = URL.canParse(raw.trim()) ? new URL(raw.trim()) : null;
  if (url === null || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '')
    throw new Error(
      `JCM_PUBLIC_URL must be an http(s) address like https://registry.example, not ${raw}`,
    );
  return url.href.replace(/\/+$/, '');
}

async function platformOptions(config: Config): Promise<PlatformOptions> {
  return {
    publicUrl: config.publicUrl,
    referenceDataDir: join(root, 'data'),
    documentsDir: join(config.dataDir, 'documents'),
    calculationPool: config.calculationPool,
    backup: serverBackupOptions(config, process.env),
    ...(config.federationFile === undefined
      ? {}
      : { federation: { config: await loadFederationConfig(config.federationFile) } }),
  };
}

/** Backup and restore (issue 15, lane R2): JCM_BACKUP_DIR, JCM_PG_BIN, JCM_API_TOKEN. */
function serverBackupOptions(config: Config, env: NodeJS.ProcessEnv) {
  return {
    dir: resolve(env['JCM_BACKUP_DIR'] ?? join(config.dataDir, 'backups')),
    pgBin: env['JCM_PG_BIN'] ?? '',
    ...(config.databaseUrl === undefined ? {} : { postgresUrl: config.databaseUrl }),
  };
}

function backupDeps(config: Config, env: NodeJS.ProcessEnv): BackupDeps {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    documentsDir: join(config.dataDir, 'documents'),
    pgBin: env['JCM_PG_BIN'] ?? '',
    apiToken: env['JCM_API_TOKEN'] || undefined,
  };
}

/** Milliseconds from the environment: a positive whole number, or the default when unset. */
function millisecondsFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive whole number of milliseconds, not ${text}`);
  return value;
}

function replicaOptionsFrom(env: NodeJS.ProcessEnv): ReplicaOptions {
  return {
    maxLagMs: millisecondsFrom(env, 'JCM_READ_MAX_LAG_MS', defaultReplicaOptions.maxLagMs),
    checkMs: millisecondsFrom(env, 'JCM_READ_CHECK_MS', defaultReplicaOptions.checkMs),
    statementTimeoutMs: millisecondsFrom(
      env,
      'JCM_READ_STATEMENT_TIMEOUT_MS',
      defaultReplicaOptions.statementTimeoutMs,
    ),
  };
}

/**
 * The database: PGlite, or PostgreSQL at DATABASE_URL. Only the server (`withReplica`) uses the read
 * replica; the CLI's commands write and read back, and read the primary.
 */
function openConfiguredDb(config: Config, withReplica = false): Promise<Db> {
  if (config.databaseUrl === undefined) {
    if (config.databaseReadUrl !== undefined)
      throw new Error('DATABASE_READ_URL needs DATABASE_URL (a replica of a PostgreSQL primary)');
    return openDb({ kind: 'pglite', dataDir: config.dataDir });
  }
  return openDb(
    withReplica && config.databaseReadUrl !== undefined
      ? {
          kind: 'postgres',
          url: config.databaseUrl,
          readUrl: config.databaseReadUrl,
          replica: config.replica,
        }
      : { kind: 'postgres', url: config.databaseUrl },
  );
}

/**
 * The development token exists only when the deployment sets JCM_DEV_TOKEN: there are no default
 * credentials; writes need an account (`jcm admin create`, then a session or an API token).
 */
function devTokenOf(config: Config): string | null {
  return config.devToken ?? null;
}

/** The server's modules (HTTP, portal, charts, the demo): loaded for `serve`, not for every CLI command. */
function loadServerModules() {
  return Promise.all([
    import('pino'),
    import('./http/edge.ts'),
    import('./http/server.ts'),
    import('./http/read-cache.ts'),
    import('./services/demo-cycle.ts'),
  ]);
}

/** With JCM_FEDERATION: the delivery to the peers and the signed checkpoints, each reported in the log. */
function startFederation(platform: Platform, config: Config, log: Logger): void {
  const federation = platform.federation;
  if (federation === null) return;
  federation.delivery.start();
  // Who this deployment is and whom it sends to; never the key's content.
  log.info(
    {
      self: federation.config.self,
      registries: federation.config.registries,
      keyId: federation.config.keyId,
      peers: federation.config.peers.map((p) => ({ id: p.id, url: p.url })),
    },
    'federation: delivering to peers',
  );
  platform.checkpoints.start(config.checkpointMinutes * 60_000, (outcome) => {
    if (!outcome.ok) {
      log.error({ code: outcome.error.code, reason: outcome.error.message }, 'checkpoint refused');
      return;
    }
    const signed = outcome.value.map((c) => ({
      registry: c.checkpoint.registry,
      id: c.id.toString(),
      at: c.checkpoint.at,
    }));
    log.info({ checkpoints: signed }, 'checkpoints signed');
  });
}

async function serveCommand(config: Config, port: number): Promise<void> {
  // Read before anything opens: a malformed list stops the start (the CLI does not need it).
  const trustedProxies =
    config.trustedProxies === undefined ? null : parseTrustedProxies(config.trustedProxies);
  const started = performance.now();
  // The modules load while the database opens.
  const loading = loadServerModules();
  loading.catch(() => undefined);
  // A malformed federation file stops the start before the database opens.
  const options = await platformOptions(config);
  const db = await openConfiguredDb(config, true);
  const platform = await createPlatform(db, options);
  const [{ pino }, { createServedApps }, { listen }, { ReadCache }, { seedDemo }] = await loading;
  // Asynchronous writes: a request's log line does not wait for the terminal or the pipe (pino
  // flushes what is buffered when the process exits).
  const log = pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: false }));
  const registries = await platform.queries.listRegistries();
  // A deployment of two (JCM_FEDERATION) opens its registries and accounts itself: the demo is the
  // all-in-one platform's.
  if (registries.length === 0 && platform.federation !== null)
    log.info('split deployment (JCM_FEDERATION): no demo loaded');
  else if (registries.length === 0) {
    const counts = await seedDemo(platform);
    log.info(counts, 'loaded the synthetic demo: project cycle and ledger (first start)');
  }
  const devToken = devTokenOf(config);
  const readCache = new ReadCache(undefined, undefined, trustedProxies);
  const requestLog = (entry: Record<string, unknown>) => log.info(entry, 'request');
  const apps = createServedApps(platform, {
    devToken,
    log: (entry) => log.error(entry),
    requestLog,
    readCache,
    trustedProxies,
  });
  const server = listen(apps, readCache, port, requestLog, () => {
    const url = `http://localhost:${port}`;
    log.info(
      { database: db.kind, startMs: Math.round(performance.now() - started) },
      'jcm is serving',
    );
    startFederation(platform, config, log);
    // Committed messages another process left in the outbox leave within seconds.
    platform.outbox.start(5_000);
    // The public export is made here, on a timer, and served as made (GET /api/v1/export).
    platform.exports.start(config.exportMinutes, (message) => log.error(message));
    process.stdout.write(
      `\njcm is running on ${db.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL'}\n  API:      ${url}/api/v1/registries\n  OpenAPI:  ${url}/api/openapi.json\n  Health:   ${url}/health\n  Writes:   ${devToken === null ? 'create an administrator with `jcm admin create <email>`, then log in or make an API token' : 'development token from JCM_DEV_TOKEN'}\n\n${url}\n`,
    );
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    log.fatal(
      { code: error.code, port },
      error.code === 'EADDRINUSE'
        ? `port ${port} is in use; set PORT to another port`
        : error.message,
    );
    void platform.close().then(() => process.exit(1));
  });
  const stop = () => {
    server.close();
    void platform.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const program = buildProgram({
    user: userInfo().username,
    openPlatform: async () => {
      const options = await platformOptions(config);
      return createPlatform(await openConfiguredDb(config), options);
    },
    openCatalogue: () => MethodologyCatalogue.load(join(root, 'methodologies')),
    backup: backupDeps(config, process.env),
    serve: (options) => serveCommand(config, options.port ?? config.port),
    migrate: async () => {
      const db = await openConfiguredDb(config);
      try {
        return (await migrate(db))
          .filter((r) => r.status === 'Success')
          .map((r) => r.migrationName);
      } finally {
        await db.close();
      }
    },
  });
  await program.parseAsync(process.argv);
}

main().catch((error: unknown) => {
  // A database that is down when `jcm serve` or `jcm migrate` starts is named as such.
  const text = isDatabaseUnavailable(error)
    ? `error database_unavailable: ${databaseUnavailable(error).message}`
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`jcm: ${text}\n`);
  process.exit(1);
});
