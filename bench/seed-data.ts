import type { Fields } from '../src/index.ts';

/** Seeded ids look like the UUIDs anchorage mints (36 characters), so sizes are realistic. */
function seededId(family: number, i: number): string {
  return `${family.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

export const itemId = (i: number): string => seededId(1, i);
/** Hubs are numbered by degree, so each degree gets its own id. */
export const hubId = (degree: number): string => seededId(2, degree);
export const leafId = (hub: number, j: number): string => seededId(0x100 + hub, j);
export const hubEdgeId = (hub: number, j: number): string => seededId(0x200 + hub, j);

/** The hot node of the seed's bug: one user's root, which every request adds an edge to. */
export const HOT_ROOT = seededId(3, 0);

/** A typical small record: a name, a counter, a short list, a sentence; about 120 bytes of JSON. */
export function itemFields(i: number): Fields {
  return {
    name: `item-${i}`,
    n: 0,
    tags: ['bench', i % 2 === 0 ? 'even' : 'odd'],
    note: `seeded item number ${i} of the bench graph`,
  };
}

export function leafFields(j: number): Fields {
  return { name: `leaf-${j}` };
}

/** The version vector seeded rows carry in the anchorage layout. */
export const SEED_VV = { seed: 1 };
