import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/core/errors.ts';
import { toStorageError } from '../../src/storage/postgres/postgres-errors.ts';

/** An error shaped as node-postgres reports one from the server (a SQLSTATE in `code`). */
const serverError = (code: string, message = `server said ${code}`) =>
  Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('PostgreSQL errors as StorageErrors', () => {
  it.each([
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock detected'],
    ['55P03', 'lock wait timed out'],
    ['57P01', 'server shutting down'],
    ['53300', 'too many connections'],
    ['08006', 'connection lost'],
  ])('makes %s (%s) a retryable StorageError', (code, what) => {
    const wrapped = toStorageError(serverError(code), 'commit');
    expect(wrapped).toBeInstanceOf(StorageError);
    expect(wrapped).toMatchObject({ code: 'storage', retryable: true, context: { sqlState: code } });
    expect((wrapped as Error).message).toContain(what);
  });

  it('makes a lost socket retryable, and says ambiguous when COMMIT was in flight (the commit may have landed)', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toStorageError(reset, 'commit')).toMatchObject({ retryable: true, context: { ambiguous: false } });
    const terminated = new Error('Connection terminated unexpectedly');
    expect(toStorageError(terminated, 'commit')).toMatchObject({ retryable: true, context: { ambiguous: false } });
    // Retryable all the same: the retry carries the same commit id, and finds the commit's record if it landed.
    for (const lost of [terminated, reset]) {
      const wrapped = toStorageError(lost, 'commit', { committing: true });
      expect(wrapped).toMatchObject({ code: 'storage', retryable: true, context: { ambiguous: true } });
      expect((wrapped as Error).message).toContain('may or may not have been written');
    }
  });

  it('is not ambiguous about a server error met while committing (the server answered: nothing was written)', () => {
    expect(toStorageError(serverError('40001'), 'commit', { committing: true })).toMatchObject({
      retryable: true,
      context: { ambiguous: false },
    });
    expect(toStorageError(serverError('23514'), 'commit', { committing: true })).toMatchObject({
      retryable: false,
      context: { ambiguous: false },
    });
  });

  it('makes other server errors non-retryable StorageErrors, and finds them inside drizzle wrappers', () => {
    expect(toStorageError(serverError('42P01', 'relation "anchors" does not exist'), 'load')).toMatchObject({
      code: 'storage',
      retryable: false,
      message: expect.stringContaining('42P01'),
    });
    const wrapped = Object.assign(new Error('Failed query: select 1'), { cause: serverError('40P01') });
    expect(toStorageError(wrapped, 'migrate')).toMatchObject({ retryable: true, context: { sqlState: '40P01' } });
  });

  it('passes through what is not a driver error', () => {
    const bug = new TypeError('x is not a function');
    expect(toStorageError(bug, 'commit')).toBe(bug);
    const node = Object.assign(new Error('bad argument'), { code: 'ERR_INVALID_ARG_TYPE' });
    expect(toStorageError(node, 'commit')).toBe(node);
    const ours = new StorageError('already wrapped', { retryable: true });
    expect(toStorageError(ours, 'commit')).toBe(ours);
  });
});
