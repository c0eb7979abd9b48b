import { itemId } from '../seed-data.ts';
import { budget, distinctIndexes, type Scale } from './scale.ts';
import type { WorkloadCase } from './workload.ts';

const ITEMS = 10_000;

/** Workload 1: one process, no think time; random nodes of 10k get one field changed, 1 or 100 per commit. */
export function uncontendedCases(scale: Scale): WorkloadCase[] {
  return [1, 100].map((perCommit) => ({
    id: `uncontended-${perCommit}`,
    group: 'uncontended',
    label: `uncontended: ${perCommit} changed node${perCommit === 1 ? '' : 's'} per commit, of 10k`,
    seed: { items: ITEMS, hubs: [] },
    procs: 1,
    measure: 'throughput',
    thinks: false,
    writes: true,
    budget:
      perCommit === 1
        ? budget(scale, { ops: 500, ms: 5000, warmup: 30 }, { ops: 20, ms: 1000, warmup: 3 })
        : budget(scale, { ops: 60, ms: 5000, warmup: 5 }, { ops: 3, ms: 1000, warmup: 1 }),
    async prepare(conn, ctx) {
      return async () => {
        const ids = distinctIndexes(ctx.random, perCommit, ITEMS).map(itemId);
        await conn.increment(ids, 'n', ctx.think);
        for (const id of ids) ctx.acks.increment(id, 'n');
      };
    },
  }));
}
