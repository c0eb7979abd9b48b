import { StorageError } from '../../core/errors.ts';

/** Wraps a driver error as a StorageError; a busy or locked database is retryable. */
export function toStorageError(error: unknown, doing: string): unknown {
  if (typeof error !== 'object' || error === null) return error;
  if ((error as { code?: unknown }).code === undefined) return error;
  const code = String((error as { code: unknown }).code);
  if (!code.startsWith('SQLITE_')) return error;
  const busy = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  const full = code === 'SQLITE_FULL';
  const what = busy ? 'database is busy' : full ? 'database or disk is full' : `SQLite failed (${code})`;
  return new StorageError(`${doing}: ${what}`, { cause: error, retryable: busy, context: { sqliteCode: code, busy, full } });
}
