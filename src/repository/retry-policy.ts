import pRetry from 'p-retry';

/** Bounded, jittered, millisecond-scale retries for compare-and-swap misses and busy databases. */
export interface RetryConfig {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Backoff before retry n is uniform in [0, min(maxDelayMs, minDelayMs · 2^(n-1))] (full jitter). */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Total time budget; no retry starts after it. */
  readonly maxRetryTimeMs: number;
}

export const DEFAULT_RETRY: RetryConfig = { retries: 30, minDelayMs: 1, maxDelayMs: 100, maxRetryTimeMs: 20_000 };

export function fullJitter(config: RetryConfig, attempt: number, random: () => number): number {
  const cap = Math.min(config.maxDelayMs, config.minDelayMs * 2 ** Math.min(attempt - 1, 30));
  return random() * cap;
}

export interface RetryHooks {
  readonly random: () => number;
  /** Which failures another attempt may fix. */
  readonly retryable: (error: unknown) => boolean;
  /** Called before each backoff wait, with the failed attempt's error. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Errors that say of themselves that a retry may succeed (a busy database, a rebased attempt). */
export function saysRetryable(error: unknown): boolean {
  return error instanceof Error && (error as { retryable?: unknown }).retryable === true;
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error is thrown, or the budget is spent
 * (then the last error is rethrown; callers wrap it as `retries_exhausted`). Attempts are
 * numbered from 1. The first runs on its own: most commits succeed at once, and p-retry's
 * set-up (measured: about 10 µs a call) is then paid only by those that need a second.
 */
export async function withRetries<T>(config: RetryConfig, hooks: RetryHooks, attempt: (n: number) => Promise<T>): Promise<T> {
  const started = performance.now();
  let first: unknown;
  try {
    return await attempt(1);
  } catch (error) {
    first = error;
  }
  const left = () => config.maxRetryTimeMs - (performance.now() - started);
  if (!hooks.retryable(first) || config.retries <= 0 || left() <= 0) throw first;
  const backoff = async (error: unknown, failed: number) => {
    const delay = fullJitter(config, failed, hooks.random);
    hooks.onRetry?.(error, failed, delay);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  };
  await backoff(first, 1);
  if (left() <= 0) throw first;
  return pRetry((n) => attempt(n + 1), {
    retries: config.retries - 1,
    minTimeout: 0,
    maxTimeout: 0,
    maxRetryTime: left(),
    shouldRetry: ({ error }) => hooks.retryable(error),
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      if (!hooks.retryable(error) || retriesLeft <= 0) return;
      await backoff(error, attemptNumber + 1);
    },
  });
}
