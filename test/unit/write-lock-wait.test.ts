import { describe, expect, it } from 'vitest';
import { hasCode } from '../../src/core/errors.ts';
import { whenUnlocked } from '../../src/storage/sqlite/write-lock-wait.ts';

const sqliteError = (code: string) => Object.assign(new Error(code), { code });

describe('whenUnlocked', () => {
  it('tries again after a busy try, and returns what the write returned', async () => {
    let tries = 0;
    const result = await whenUnlocked('commit', 1000, () => {
      if (++tries < 3) throw sqliteError('SQLITE_BUSY');
      return 'written';
    });
    expect({ result, tries }).toEqual({ result: 'written', tries: 3 });
  });

  it('passes any other error through at once, untouched unless it is SQLite’s', async () => {
    let tries = 0;
    const mine = new RangeError('not a lock');
    await expect(
      whenUnlocked('commit', 1000, () => {
        tries++;
        throw mine;
      }),
    ).rejects.toBe(mine);
    const full = await whenUnlocked('commit', 1000, () => {
      throw sqliteError('SQLITE_FULL');
    }).catch((e: unknown) => e);
    expect(hasCode(full, 'storage') && full.retryable).toBe(false);
    expect(tries).toBe(1);
  });

  it('throws a retryable busy StorageError once the budget is spent; with no budget, after one try', async () => {
    let tries = 0;
    const error = await whenUnlocked('commit', 0, () => {
      tries++;
      throw sqliteError('SQLITE_BUSY');
    }).catch((e: unknown) => e);
    expect(tries).toBe(1);
    expect(hasCode(error, 'storage') && error.retryable && error.context.busy).toBe(true);
  });
});
