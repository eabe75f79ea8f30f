// Transactions that PostgreSQL may abort for reasons of concurrency alone, retried: serialisation
// failures, deadlocks, locks not available, and the unique violation of two first writers of a new
// journal chain (the loser retries and finds the chain). The ledger's writer and the write
// pipeline retry alike.
const retryableCodes = new Set(['40001', '40P01', '55P03', '23505']);

/** Attempts of one write before its error is let through. */
export const transactionAttemptsMax = 8;

export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && retryableCodes.has(code);
}

/** Runs `attempt` until it succeeds, retrying (with a short growing pause) what isRetryable. */
export async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error) || n >= transactionAttemptsMax) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2 ** n));
    }
  }
}
