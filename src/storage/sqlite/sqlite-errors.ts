import { StorageError } from '../../core/errors.ts';

const BUSY = /^SQLITE_(BUSY|LOCKED)/;

/** A driver error saying another connection holds the lock. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BUSY.test(code);
}

/** Wraps a driver error as a StorageError; a busy or locked database is retryable. */
export function toStorageError(error: unknown, doing: string): unknown {
  if (typeof error !== 'object' || error === null) return error;
  if ((error as { code?: unknown }).code === undefined) return error;
  const code = String((error as { code: unknown }).code);
  if (!code.startsWith('SQLITE_')) return error;
  const busy = BUSY.test(code);
  const full = code === 'SQLITE_FULL';
  const what = busy ? 'database is busy' : full ? 'database or disk is full' : `SQLite failed (${code})`;
  return new StorageError(`${doing}: ${what}`, { cause: error, retryable: busy, context: { sqliteCode: code, busy, full } });
}
