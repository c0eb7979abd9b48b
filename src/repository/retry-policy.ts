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
 * (then the last error is rethrown; callers wrap it as `retries_exhausted`).
 */
export function withRetries<T>(config: RetryConfig, hooks: RetryHooks, attempt: (n: number) => Promise<T>): Promise<T> {
  return pRetry(attempt, {
    retries: config.retries,
    minTimeout: 0,
    maxTimeout: 0,
    maxRetryTime: config.maxRetryTimeMs,
    shouldRetry: ({ error }) => hooks.retryable(error),
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      if (!hooks.retryable(error) || retriesLeft <= 0) return;
      const delay = fullJitter(config, attemptNumber, hooks.random);
      hooks.onRetry?.(error, attemptNumber, delay);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    },
  });
}
