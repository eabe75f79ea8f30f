// Transactions that PostgreSQL may abort for reasons of concurrency alone, retried: serialisation
// failures, deadlocks, locks not available, and the unique violation of two first writers of a new
// journal chain (the loser retries and finds the chain). The ledger's writer and the write
// pipeline retry alike.
//
// A transaction whose connection broke (unavailable.ts) is retried only when it is idempotent: its
// idempotency key is claimed in the transaction, so if the first attempt committed before the
// connection broke (a COMMIT whose answer was lost), the retry finds the key and replays the kept
// answer instead of writing again. A write without a key is never retried after a broken
// connection: the caller gets `database_unavailable` and decides.
import { isDatabaseUnavailable } from './unavailable.ts';

const retryableCodes = new Set(['40001', '40P01', '55P03', '23505']);

/** Attempts of one write before its error is let through. */
export const transactionAttemptsMax = 8;

/** Attempts of an idempotent write whose connection broke (a pool reconnects in milliseconds). */
export const reconnectAttemptsMax = 3;

export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && retryableCodes.has(code);
}

export interface RetryOptions {
  /** The write claims an idempotency key in its transaction: safe to run again after a broken connection. */
  readonly idempotent: boolean;
}

/** Runs `attempt` until it succeeds, retrying (with a short growing pause) what isRetryable. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: RetryOptions = { idempotent: false },
): Promise<T> {
  let reconnects = 0;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const again =
        isRetryable(error) ||
        (options.idempotent && isDatabaseUnavailable(error) && ++reconnects < reconnectAttemptsMax);
      if (!again || n >= transactionAttemptsMax) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 ** n * (reconnects > 0 ? 10 : 1)));
    }
  }
}
