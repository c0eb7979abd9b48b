import { SYSTEM_ROOT } from '../../src/core/row.ts';
import { itemFields, itemId, SEED_VV } from '../seed-data.ts';
import { type Scale, shapes } from './scale.ts';
import type { HeapCase } from './workload.ts';

/** Workload 6: heap bytes per anchor held by one unit of work of 100k anchors, against their JSON size. */
export function memoryCases(scale: Scale): HeapCase[] {
  const items = shapes(scale).memoryItems;
  return [
    {
      id: `memory-${items / 1000}k`,
      group: 'memory',
      label: `memory: one session holding ${items / 1000}k anchors`,
      seed: { items, hubs: [] },
      writes: false,
      measure: 'memory',
      procs: 1,
    },
  ];
}

/** Mean size of the seeded items as anchor JSON (what `JSON.stringify(anchor)` gives for a loaded node). */
export function anchorJsonBytes(items: number): number {
  let bytes = 0;
  for (let i = 0; i < items; i++) {
    const anchor = {
      id: itemId(i),
      kind: 'node',
      type: 'Item',
      root: SYSTEM_ROOT,
      fields: itemFields(i),
      edgeIds: [],
      version: 1,
      versionVector: SEED_VV,
    };
    bytes += Buffer.byteLength(JSON.stringify(anchor));
  }
  return bytes / items;
}
