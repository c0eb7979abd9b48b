import { randomUUID } from 'node:crypto';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { type EntityManager, EntitySchema, MikroORM, OptimisticLockError } from '@mikro-orm/core';
import type { ConnectOptions, Contender, ContenderConnection, Think } from '../contenders/contender.ts';
import { isBusy } from '../contenders/sql-connection.ts';
import { applyPragmas } from '../contenders/sqlite-file.ts';
import { ormLayout, type PeerEdge, type PeerNode, ROOT_NATIVE_BINDING } from './orm-layout.ts';

const MAX_ATTEMPTS = 1000;
/** Ids per query when a session loads many anchors. */
const PAGE = 1000;

class NodeEntity implements PeerNode {
  id!: string;
  type!: string;
  fields!: Record<string, unknown>;
  version!: number;
}

class EdgeEntity implements PeerEdge {
  id!: string;
  source!: string;
  target!: string;
}

const Nodes = new EntitySchema<NodeEntity>({
  class: NodeEntity,
  tableName: 'peer_nodes',
  properties: {
    id: { type: 'string', primary: true },
    type: { type: 'string' },
    fields: { type: 'json' },
    // A version property: flush() writes `UPDATE … WHERE id = ? AND version = ?` and throws OptimisticLockError on a miss.
    version: { type: 'number', version: true },
  },
});

const Edges = new EntitySchema<EdgeEntity>({
  class: EdgeEntity,
  tableName: 'peer_edges',
  properties: { id: { type: 'string', primary: true }, source: { type: 'string' }, target: { type: 'string' } },
});

/**
 * MikroORM 6.6 as its documentation suggests: one forked EntityManager per request, a version
 * property, and on OptimisticLockError the request runs again on a fresh fork (as on a busy database).
 */
class MikroOrmConnection implements ContenderConnection {
  readonly #orm: MikroORM;

  constructor(orm: MikroORM) {
    this.#orm = orm;
  }

  async #request<T>(work: (em: EntityManager, attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(this.#orm.em.fork(), attempt);
      } catch (error) {
        if (!(error instanceof OptimisticLockError || isBusy(error)) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  increment(ids: readonly string[], field: string, think: Think): Promise<void> {
    return this.#request(async (em, attempt) => {
      const nodes: NodeEntity[] = [];
      for (const id of ids) nodes.push(await em.findOneOrFail(Nodes, { id }));
      if (attempt === 1) await think();
      for (const n of nodes) n.fields = { ...n.fields, [field]: ((n.fields[field] as number | undefined) ?? 0) + 1 };
      await em.flush();
    });
  }

  addChild(parent: string, think: Think): Promise<string> {
    return this.#request(async (em, attempt) => {
      await em.findOneOrFail(Nodes, { id: parent });
      if (attempt === 1) await think();
      const child = em.create(Nodes, { id: randomUUID(), type: 'Child', fields: { name: 'child' }, version: 1 });
      const edge = em.create(Edges, { id: randomUUID(), source: parent, target: child.id });
      await em.flush();
      return edge.id;
    });
  }

  async getCold(id: string): Promise<unknown> {
    return (await this.#orm.em.fork().findOneOrFail(Nodes, { id })).fields;
  }

  async openSession(ids: readonly string[]): Promise<(id: string) => unknown> {
    const em = this.#orm.em.fork();
    // In pages: one find per id makes each find slower as the identity map grows (100k took minutes).
    for (let i = 0; i < ids.length; i += PAGE) await em.find(Nodes, { id: { $in: ids.slice(i, i + PAGE) } });
    // A primary-key lookup is answered from the identity map.
    return (id) => em.findOne(Nodes, { id });
  }

  async neighbors(id: string): Promise<number> {
    const em = this.#orm.em.fork();
    const edges = await em.find(Edges, { source: id });
    return (await em.find(Nodes, { id: { $in: edges.map((e) => e.target) } })).length;
  }

  async storedFields(id: string): Promise<Record<string, unknown> | undefined> {
    return (await this.#orm.em.fork().findOne(Nodes, { id }))?.fields;
  }

  async storedEdgeIds(id: string): Promise<readonly string[]> {
    return (await this.#orm.em.fork().find(Edges, { source: id })).map((e) => e.id);
  }

  close(): Promise<void> {
    return this.#orm.close(true);
  }
}

export const mikroOrm: Contender = {
  name: 'mikro-orm',
  summary: 'MikroORM 6.6 entities with a version property (UPDATE … WHERE version = ?), OptimisticLockError, retry (peer)',
  layout: ormLayout,
  async connect(path: string, options: ConnectOptions): Promise<ContenderConnection> {
    const orm = await MikroORM.init({
      driver: BetterSqliteDriver,
      dbName: path,
      entities: [Nodes, Edges],
      allowGlobalContext: false,
      driverOptions: { connection: { options: { nativeBinding: ROOT_NATIVE_BINDING } } },
      pool: {
        afterCreate: (db: Parameters<typeof applyPragmas>[0], done: (error: Error | null, db: unknown) => void) => {
          applyPragmas(db, options);
          done(null, db);
        },
      },
    });
    return new MikroOrmConnection(orm);
  },
};
