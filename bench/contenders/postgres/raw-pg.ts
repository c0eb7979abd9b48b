import type { ConnectOptions, Contender, ContenderConnection, Think } from '../contender.ts';
import { bumpField, type LoadedRow } from '../sql-connection.ts';
import { anchoragePgLayout } from './anchorage-pg-layout.ts';
import { isRetryablePg, PG, PgConnection } from './pg-connection.ts';

const MAX_ATTEMPTS = 1000;

/** Rolls a write transaction back when a version check missed. */
class Missed {}

/** The limit on PostgreSQL: read, parse, change, then `UPDATE … WHERE version = $3` in a short transaction; retry on a miss. */
class RawPgConnection extends PgConnection {
  static async connect(url: string): Promise<RawPgConnection> {
    return new RawPgConnection(await PgConnection.open(url), 'raw');
  }

  async increment(ids: readonly string[], field: string, think: Think): Promise<void> {
    const read = async () => {
      const rows: LoadedRow[] = [];
      for (const id of ids) rows.push(await this.load(id));
      return rows;
    };
    let rows = await read();
    await think();
    for (let attempt = 1; ; attempt++) {
      for (const r of rows) bumpField(r.fields, field);
      try {
        await this.transaction(async () => {
          for (const r of rows) {
            if ((await this.client.query(PG.cas([JSON.stringify(r.fields), r.id, r.version]))).rowCount === 0) throw new Missed();
          }
        });
        return;
      } catch (error) {
        if (!(error instanceof Missed || isRetryablePg(error)) || attempt >= MAX_ATTEMPTS) throw error;
      }
      rows = await read();
    }
  }

  async addChild(parent: string, think: Think): Promise<string> {
    await this.load(parent);
    await think();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(() => this.insertChild(parent));
      } catch (error) {
        if (!isRetryablePg(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

export const rawPg: Contender = {
  name: 'raw-pg',
  limit: true,
  summary:
    'hand-written node-postgres prepared queries: read, parse, change, UPDATE … WHERE version = $3, retry (the limit on PostgreSQL)',
  layout: anchoragePgLayout,
  connect: (url: string, _options: ConnectOptions): Promise<ContenderConnection> => RawPgConnection.connect(url),
};
