import type { ConnectOptions, Contender, ContenderConnection, Think } from '../contender.ts';
import { bumpField, type LoadedRow } from '../sql-connection.ts';
import { anchoragePgLayout } from './anchorage-pg-layout.ts';
import { isRetryablePg, PG, PgConnection } from './pg-connection.ts';

const MAX_ATTEMPTS = 1000;

/**
 * Pessimistic on PostgreSQL: `SELECT … FOR UPDATE` (in id order, so two requests cannot deadlock)
 * and the row locks held across the think time until the commit.
 */
class ImmediatePgConnection extends PgConnection {
  static async connect(url: string): Promise<ImmediatePgConnection> {
    return new ImmediatePgConnection(await PgConnection.open(url), 'immediate');
  }

  async #locked<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(work);
      } catch (error) {
        if (!isRetryablePg(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  increment(ids: readonly string[], field: string, think: Think): Promise<void> {
    return this.#locked(async () => {
      const rows: LoadedRow[] = [];
      for (const id of [...ids].sort()) rows.push(await this.load(id, true));
      await think();
      for (const r of rows) {
        bumpField(r.fields, field);
        await this.client.query(PG.cas([JSON.stringify(r.fields), r.id, r.version]));
      }
    });
  }

  addChild(parent: string, think: Think): Promise<string> {
    return this.#locked(async () => {
      await this.load(parent, true);
      await think();
      return this.insertChild(parent);
    });
  }
}

export const immediatePg: Contender = {
  name: 'immediate-pg',
  summary: 'the same by hand with SELECT … FOR UPDATE, the row locks held across think time (pessimistic, PostgreSQL)',
  layout: anchoragePgLayout,
  connect: (url: string, _options: ConnectOptions): Promise<ContenderConnection> => ImmediatePgConnection.connect(url),
};
