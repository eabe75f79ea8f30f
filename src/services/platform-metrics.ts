// What the platform measures of itself for /metrics (issue 15): the ledger writer's batches (their
// size and time) and its queue, and how the database's connections are used. src/http/operations.ts
// renders them with the HTTP figures.
import {
  batchSizeBuckets,
  gaugeLines,
  Histogram,
  latencyBucketsSeconds,
} from '../core/shared/histogram.ts';
import type { Db, DbUse } from '../db/connect.ts';
import { LedgerWriter, type WriteOutcome, type WriteRequest } from '../db/ledger-writer.ts';

export class PlatformMetrics {
  readonly batchSize = new Histogram(
    'jcm_writer_batch_size',
    'Commands per committed ledger writer batch (one transaction each).',
    batchSizeBuckets,
  );
  readonly batchSeconds = new Histogram(
    'jcm_writer_batch_duration_seconds',
    'Time of a committed ledger writer batch, from its start to its commit, in seconds.',
    latencyBucketsSeconds,
  );

  /** Commands submitted to the ledger writer and not yet answered (waiting or in a batch). */
  writerQueued = 0;

  constructor(private readonly databaseUse: () => DbUse | undefined) {}

  /** The writer's observer (ledger-writer.ts WriterOptions.observeBatch). */
  readonly observeBatch = (size: number, seconds: number): void => {
    this.batchSize.observe('', size);
    this.batchSeconds.observe('', seconds);
  };

  /** The writer's and the database's figures in text format. */
  lines(): string[] {
    const use = this.databaseUse();
    const database =
      use === undefined
        ? []
        : use.kind === 'postgres'
          ? gaugeLines(
              'jcm_db_pool_connections',
              'PostgreSQL pool connections, by state (total open, idle, callers waiting for one).',
              [
                ['state="total"', use.total],
                ['state="idle"', use.idle],
                ['state="waiting"', use.waiting],
              ],
            )
          : gaugeLines(
              'jcm_db_pglite_queue_depth',
              "Uses of PGlite's one connection not finished (the running one included).",
              [['', use.queued]],
            );
    return [
      ...this.batchSize.lines(),
      ...this.batchSeconds.lines(),
      ...gaugeLines(
        'jcm_writer_queue_depth',
        'Ledger commands submitted to the writer and not yet answered (waiting or in a batch).',
        [['', this.writerQueued]],
      ),
      ...database,
    ];
  }
}

/** The ledger writer, counting the commands it has not answered yet. */
class MeasuredWriter extends LedgerWriter {
  constructor(
    db: Db,
    options: ConstructorParameters<typeof LedgerWriter>[1],
    private readonly metrics: PlatformMetrics,
  ) {
    super(db, { ...options, observeBatch: metrics.observeBatch });
  }

  override async submit(request: WriteRequest): Promise<WriteOutcome> {
    this.metrics.writerQueued += 1;
    try {
      return await super.submit(request);
    } finally {
      this.metrics.writerQueued -= 1;
    }
  }
}

/** The platform's ledger writer and the metrics it and the database report to. */
export function measuredWriter(
  db: Db,
  clock: () => string,
  batchSizeMax: number | undefined,
): { writer: LedgerWriter; metrics: PlatformMetrics } {
  const metrics = new PlatformMetrics(() => db.use?.());
  const options = batchSizeMax === undefined ? { clock } : { clock, batchSizeMax };
  return { writer: new MeasuredWriter(db, options, metrics), metrics };
}
