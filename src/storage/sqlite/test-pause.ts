import { writeSync } from 'node:fs';

/**
 * Test-only (crash harnesses): milliseconds every write transaction waits after its writes and
 * before COMMIT, so a SIGKILL can land between them. Read once, when a backend is constructed.
 */
export const PAUSE_BEFORE_COMMIT_ENV = 'ANCHORAGE_TEST_PAUSE_BEFORE_COMMIT_MS';

/**
 * Lines written to stderr while the pause is on: `paused` once a transaction's writes are done,
 * `left` once it has committed or rolled back. A process killed after `paused` and before `left`
 * died inside a commit.
 */
export const PAUSE_MARKERS = { paused: 'anchorage-test: commit paused', left: 'anchorage-test: commit left' } as const;

/** The pause the environment asks for, capped at a minute; 0 (off) when unset or not a positive number. */
export function pauseBeforeCommitMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env[PAUSE_BEFORE_COMMIT_ENV] ?? 0);
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60_000) : 0;
}

function mark(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // A marker is a hint for the harness; a full stderr pipe must not fail the commit.
  }
}

/**
 * The transaction body, then a synchronous sleep before it returns (and better-sqlite3 sends
 * COMMIT): `Atomics.wait` blocks the thread, so no await runs and the transaction stays open.
 */
export function pauseBeforeCommit<A extends unknown[], R>(body: (...args: A) => R, ms: number): (...args: A) => R {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  return (...args) => {
    const result = body(...args);
    mark(PAUSE_MARKERS.paused);
    Atomics.wait(cell, 0, 0, ms);
    return result;
  };
}

/** A transaction's `immediate` that marks on stderr when the transaction is over, whatever its outcome. */
export function markTransactionEnd<A extends unknown[], R>(tx: { immediate(...args: A): R }): { immediate(...args: A): R } {
  return {
    immediate: (...args) => {
      try {
        return tx.immediate(...args);
      } finally {
        mark(PAUSE_MARKERS.left);
      }
    },
  };
}
