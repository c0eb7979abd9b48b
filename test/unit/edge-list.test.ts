import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdgeDelta } from '../../src/core/edge-list.ts';

const id = fc.constantFrom(...'abcdefghij'.split(''));
const stored = fc.uniqueArray(id, { maxLength: 8 });
const delta = fc.record({ removed: fc.uniqueArray(id, { maxLength: 4 }), added: fc.uniqueArray(id, { maxLength: 4 }) });
const apply = (list: string[], d: { removed: string[]; added: string[] }) => applyEdgeDelta(list, new Set(d.removed), d.added);

describe('edge-list rebase', () => {
  it('gives the same edges whichever of two concurrent deltas lands first', () => {
    fc.assert(
      fc.property(stored, delta, delta, (s, a, b) => {
        // Concurrent deltas: neither removes what the other adds (it could not have seen it).
        const bClean = { ...b, removed: b.removed.filter((x) => !a.added.includes(x)) };
        const aClean = { ...a, removed: a.removed.filter((x) => !b.added.includes(x)) };
        const ab = apply(apply(s, aClean), bClean);
        const ba = apply(apply(s, bClean), aClean);
        expect(new Set(ab)).toEqual(new Set(ba));
      }),
    );
  });

  it('never drops an edge the delta did not remove', () => {
    fc.assert(
      fc.property(stored, delta, (s, d) => {
        const out = apply(s, d);
        for (const e of s) if (!d.removed.includes(e)) expect(out).toContain(e);
        for (const e of d.added) if (!d.removed.includes(e)) expect(out).toContain(e);
      }),
    );
  });

  it('keeps stored order, then local additions in local order, without duplicates', () => {
    fc.assert(
      fc.property(stored, delta, (s, d) => {
        const out = apply(s, d);
        const kept = s.filter((e) => !d.removed.includes(e));
        expect(out.slice(0, kept.length)).toEqual(kept);
        expect(out.slice(kept.length)).toEqual(d.added.filter((e) => !kept.includes(e) && !d.removed.includes(e)));
        expect(new Set(out).size).toBe(out.length);
      }),
    );
  });
});
