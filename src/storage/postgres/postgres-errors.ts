import { hasCode, StorageError } from '../../core/errors.ts';

export const UNIQUE_VIOLATION = '23505';
export const PREPARED_STATEMENT_MISSING = '26000';

/** SQLSTATEs after which the server rolled the transaction back and another attempt may succeed. */
const TRANSIENT_SQLSTATES = new Map<string, string>([
  ['40001', 'serialization failure'],
  ['40P01', 'deadlock detected'],
  ['55P03', 'lock wait timed out'],
  ['53300', 'too many connections'],
  ['57P01', 'server shutting down'],
  ['57P02', 'server crashed'],
  ['57P03', 'server starting up'],
  // A pooler reset the session (DISCARD ALL); the attempt's connection is replaced.
  [PREPARED_STATEMENT_MISSING, 'prepared statement missing'],
]);

/** Socket-level failures: the connection is gone, the server may be back for the next attempt. */
const TRANSIENT_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** node-postgres reports a lost or unobtainable connection by message, without a code. */
const LOST_CONNECTION =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i;

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE (or socket code) of a driver error, if it has one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function isConnectionLoss(error: Error, code: string | undefined): boolean {
  return (code !== undefined && (code.startsWith('08') || TRANSIENT_SOCKET.has(code))) || LOST_CONNECTION.test(error.message);
}

/**
 * Wraps a driver error as a StorageError. Serialization failures (40001), deadlocks (40P01),
 * lock timeouts and lost connections are retryable: the server rolled the attempt back. A
 * connection lost while committing (`committing`: COMMIT, or a write's autocommit statement, was
 * in flight) may have landed: the error says `ambiguous`, and is retryable all the same, since
 * every commit attempt records its commit id first and a retry of a landed commit only reads
 * what it wrote (commit-record.ts). Errors that are not from the driver or the server (ours,
 * programming errors) pass through unchanged.
 */
export function toStorageError(error: unknown, doing: string, options: { committing?: boolean } = {}): unknown {
  if (!(error instanceof Error) || hasCode(error, 'storage')) return error;
  // drizzle (the migrator) wraps the driver's error in its own, as `cause`.
  const code = sqlState(error) ?? sqlState(error.cause);
  const transient = code === undefined ? undefined : TRANSIENT_SQLSTATES.get(code);
  if (transient) return wrap(error, doing, transient, { retryable: true, code });
  if (isConnectionLoss(error, code)) {
    return wrap(error, doing, 'connection lost', { retryable: true, ambiguous: options.committing === true, code });
  }
  if (code === undefined || !SQLSTATE.test(code)) return error;
  return wrap(error, doing, `PostgreSQL failed (${code}): ${error.message}`, { retryable: false, code });
}

function wrap(
  error: Error,
  doing: string,
  what: string,
  how: { retryable: boolean; ambiguous?: boolean; code: string | undefined },
): StorageError {
  const detail = how.ambiguous ? '; the commit may or may not have been written (a retry finds out by its commit id)' : '';
  return new StorageError(`${doing}: ${what}${detail}`, {
    cause: error,
    retryable: how.retryable,
    context: { sqlState: how.code, ambiguous: how.ambiguous === true },
  });
}
