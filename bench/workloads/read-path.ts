import { hubId, itemId } from '../seed-data.ts';
import { graphSeed } from './degree.ts';
import { budget, type Scale } from './scale.ts';
import type { WorkloadCase } from './workload.ts';

const SESSION_READS = 1000;

/**
 * Workload 5: `get` by id in a fresh unit of work and from a loaded one; `neighbors` of a node of
 * degree 1k. The quick run skips reads from the session (pure in-memory, nothing to smoke out).
 */
export function readPathCases(scale: Scale): WorkloadCase[] {
  const seed = graphSeed(scale);
  const randomItem = (random: () => number) => itemId(Math.floor(random() * seed.items));
  const common = { group: 'read', seed, procs: 1, measure: 'latency', thinks: false, writes: false } as const;
  const cases: WorkloadCase[] = [
    {
      ...common,
      id: 'read-get-cold',
      label: 'read: get a node by id, fresh session',
      budget: budget(scale, { ops: 5000, ms: 3000, warmup: 200 }, { ops: 50, ms: 500, warmup: 5 }),
      async prepare(conn, ctx) {
        return async () => {
          await conn.getCold(randomItem(ctx.random));
        };
      },
    },
    {
      ...common,
      id: 'read-get-session',
      label: 'read: get a node by id, from the session',
      perOp: SESSION_READS,
      budget: budget(scale, { ops: 200, ms: 3000, warmup: 10 }, { ops: 5, ms: 500, warmup: 1 }),
      async prepare(conn, ctx) {
        const ids = Array.from({ length: seed.items }, (_, i) => itemId(i));
        const read = await conn.openSession(ids);
        return async () => {
          for (let i = 0; i < SESSION_READS; i++) {
            const r = read(randomItem(ctx.random));
            if (r instanceof Promise) await r;
          }
        };
      },
    },
    {
      ...common,
      id: 'read-neighbors-1k',
      label: 'read: neighbors of a node of degree 1,000, fresh session',
      budget: budget(scale, { ops: 100, ms: 4000, warmup: 5 }, { ops: 3, ms: 1000, warmup: 1 }),
      async prepare(conn) {
        const hub = hubId(1000);
        return async () => {
          const n = await conn.neighbors(hub);
          if (n !== 1000) throw new Error(`expected 1000 neighbours, found ${n}`);
        };
      },
    },
  ];
  return scale === 'full' ? cases : cases.filter((c) => c.id !== 'read-get-session');
}
