import { anchorageLayout } from './anchorage-layout.ts';
import { type ConnectOptions, contender, type Think } from './contender.ts';
import { bumpField, isBusy, SqlConnection } from './sql-connection.ts';

const MAX_ATTEMPTS = 1000;

/**
 * The pessimistic design: take the write lock (`BEGIN IMMEDIATE`) before reading and hold it
 * until the commit, across the request's think time, as a lock-based design must. Nothing can
 * be lost; every other writer waits.
 */
class ImmediateConnection extends SqlConnection {
  static readonly summary =
    'the same read-modify-write by hand inside BEGIN IMMEDIATE, the lock held across think time (pessimistic)';

  constructor(path: string, options: ConnectOptions) {
    super('immediate', path, options);
  }

  async #locked<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.db.exec('BEGIN IMMEDIATE');
        break;
      } catch (error) {
        if (!isBusy(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
    try {
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  increment(ids: readonly string[], field: string, think: Think): Promise<void> {
    return this.#locked(async () => {
      const rows = ids.map((id) => this.load(id));
      await think();
      for (const r of rows) {
        bumpField(r.fields, field);
        if (this.q.cas.run(JSON.stringify(r.fields), r.id, r.version).changes === 0) throw new Error(`lost the lock on ${r.id}`);
      }
    });
  }

  addChild(parent: string, think: Think): Promise<string> {
    return this.#locked(async () => {
      this.load(parent);
      await think();
      return this.insertChild(parent);
    });
  }
}

export const contenders = [contender('immediate', anchorageLayout, ImmediateConnection)];
