import { itemId } from '../seed-data.ts';
import { contended, type Scale, shapes } from './scale.ts';
import type { WorkloadCase } from './workload.ts';

const NODES = 100;

/**
 * Workload 3: 8 processes over 100 nodes; each request increments its own process's field of a
 * random node, so writes to one row race but never change the same field (they must all survive).
 */
export function spreadCases(scale: Scale): WorkloadCase[] {
  const procs = shapes(scale).spreadProcs;
  return [
    {
      id: `spread-${procs}`,
      group: 'spread',
      label: `spread: ${procs} processes over ${NODES} nodes`,
      seed: { items: NODES, hubs: [] },
      procs,
      ...contended(scale),
      async prepare(conn, ctx) {
        const field = `w${ctx.proc}`;
        return async () => {
          const id = itemId(Math.floor(ctx.random() * NODES));
          await conn.increment([id], field, ctx.think);
          ctx.acks.increment(id, field);
        };
      },
    },
  ];
}
