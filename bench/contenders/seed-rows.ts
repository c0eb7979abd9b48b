import { SYSTEM_ROOT } from '../../src/core/row.ts';
import { HOT_ROOT, hubEdgeId, itemFields, itemId, leafFields, leafId } from '../seed-data.ts';
import type { SeedSpec } from './contender.ts';

/** One seeded anchor, as every layout stores it in its own way. */
export interface SeedRow {
  readonly id: string;
  readonly kind: 'node' | 'edge';
  readonly type: string;
  readonly root: string;
  readonly fields: Record<string, unknown>;
  readonly source: string | null;
  readonly target: string | null;
  /** A node's edge ids, in order (the edge list). */
  readonly edges?: readonly string[];
}

/** The logical graph of a seed: the hot root, the items, each hub with its leaves and edges. */
export function* seedRows(spec: SeedSpec): Generator<SeedRow> {
  const node = (id: string, type: string, root: string, fields: Record<string, unknown>, edges: string[] = []) =>
    ({ id, kind: 'node', type, root, fields, source: null, target: null, edges }) as const;
  yield node(HOT_ROOT, 'Root', HOT_ROOT, {});
  for (let i = 0; i < spec.items; i++) yield node(itemId(i), 'Item', SYSTEM_ROOT, itemFields(i));
  for (const [h, hub] of spec.hubs.entries()) {
    const edges = Array.from({ length: hub.degree }, (_, j) => hubEdgeId(h, j));
    yield node(hub.id, 'Hub', SYSTEM_ROOT, { name: `hub-${hub.degree}` }, edges);
    for (let j = 0; j < hub.degree; j++) {
      yield node(leafId(h, j), 'Leaf', SYSTEM_ROOT, leafFields(j), [hubEdgeId(h, j)]);
      yield {
        id: hubEdgeId(h, j),
        kind: 'edge',
        type: 'Edge',
        root: SYSTEM_ROOT,
        fields: {},
        source: hub.id,
        target: leafId(h, j),
      };
    }
  }
}
