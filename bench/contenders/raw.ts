import type { Transaction } from 'better-sqlite3';
import { anchorageLayout } from './anchorage-layout.ts';
import { type ConnectOptions, contender, type Think } from './contender.ts';
import { bumpField, isBusy, type LoadedRow, SqlConnection } from './sql-connection.ts';

const MAX_ATTEMPTS = 1000;

/** Rolls a write transaction back when a version check missed. */
class Missed {}

/**
 * The limit: the same work written by hand on prepared statements. Read, parse, change, then a
 * short write transaction of `UPDATE … WHERE version = ?`; on a miss, read again and retry at once.
 */
class RawConnection extends SqlConnection {
  static readonly summary =
    'hand-written better-sqlite3 prepared statements: read, parse, change, UPDATE … WHERE version = ?, retry (the limit)';

  readonly #casAll: Transaction<(rows: readonly LoadedRow[]) => void>;
  readonly #addChild: Transaction<(parent: string) => string>;

  constructor(path: string, options: ConnectOptions) {
    super('raw', path, options);
    this.#casAll = this.db.transaction((rows: readonly LoadedRow[]) => {
      for (const r of rows) {
        if (this.q.cas.run(JSON.stringify(r.fields), r.id, r.version).changes === 0) throw new Missed();
      }
    });
    this.#addChild = this.db.transaction((parent: string) => this.insertChild(parent));
  }

  async increment(ids: readonly string[], field: string, think: Think): Promise<void> {
    let rows = ids.map((id) => this.load(id));
    await think();
    for (let attempt = 1; ; attempt++) {
      for (const r of rows) bumpField(r.fields, field);
      try {
        this.#casAll.immediate(rows);
        return;
      } catch (error) {
        if (!(error instanceof Missed || isBusy(error)) || attempt >= MAX_ATTEMPTS) throw error;
      }
      rows = ids.map((id) => this.load(id));
    }
  }

  async addChild(parent: string, think: Think): Promise<string> {
    this.load(parent);
    await think();
    for (let attempt = 1; ; attempt++) {
      try {
        return this.#addChild.immediate(parent);
      } catch (error) {
        if (!isBusy(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

export const contenders = [contender('raw', anchorageLayout, RawConnection, true)];
