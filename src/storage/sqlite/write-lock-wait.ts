import { setTimeout as sleep } from 'node:timers/promises';
import { isBusy, toStorageError } from './sqlite-errors.ts';

/**
 * How long SQLite's own busy handler may block the thread before a write gives the event loop
 * back. SQLite sleeps 1, 2, 5, 10… ms between polls; its later sleeps leave the lock idle while
 * waiters doze, and every one of them blocks the process. A short synchronous wait catches the
 * common case (a commit ends within a millisecond or two); longer waits are async, below.
 */
export const SYNC_BUSY_MS = 2;
/**
 * Async waits between tries last 1–2 ms, jittered: a freed lock is soon taken, and a try costs a
 * few µs. (bench hot-8, 8 processes: a 1–8 ms backoff left the lock idle between commits.)
 */
const MAX_WAIT_MS = 2;

/**
 * Runs a synchronous write (a whole transaction) until it gets the write lock, for at most
 * `timeoutMs`: between tries it awaits a short jittered wait, so the process serves other
 * requests while it waits and waiters poll often enough to keep the lock busy. A try that found
 * the lock taken wrote nothing (`BEGIN IMMEDIATE` takes it first), so trying again is safe. Past
 * the budget the busy error is thrown, as a retryable StorageError.
 */
export async function whenUnlocked<T>(
  doing: string,
  timeoutMs: number,
  write: () => T,
  random: () => number = Math.random,
): Promise<T> {
  // The clock is read only once a try found the lock taken: the common first try costs nothing more.
  let deadline: number | undefined;
  for (;;) {
    try {
      return write();
    } catch (error) {
      deadline ??= performance.now() + timeoutMs;
      const left = deadline - performance.now();
      if (!isBusy(error) || left <= 0) throw toStorageError(error, doing);
      await sleep(Math.min(left, 1 + random() * (MAX_WAIT_MS - 1)));
    }
  }
}
