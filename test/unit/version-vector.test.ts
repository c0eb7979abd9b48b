import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, increment, merge, total, writersSince } from '../../src/core/version-vector.ts';

const writer = fc.constantFrom('a', 'b', 'c', 'd');
const vector = fc.dictionary(writer, fc.integer({ min: 0, max: 20 }));

describe('version vectors', () => {
  it('merge is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(vector, vector, vector, (a, b, c) => {
        expect(compare(merge(a, b), merge(b, a))).toBe('equal');
        expect(compare(merge(merge(a, b), c), merge(a, merge(b, c)))).toBe('equal');
        expect(compare(merge(a, a), a)).toBe('equal');
      }),
    );
  });

  it('a merge has seen both sides', () => {
    fc.assert(
      fc.property(vector, vector, (a, b) => {
        expect(['after', 'equal']).toContain(compare(merge(a, b), a));
        expect(['after', 'equal']).toContain(compare(merge(a, b), b));
      }),
    );
  });

  it('compare is antisymmetric', () => {
    const mirror = { before: 'after', after: 'before', equal: 'equal', concurrent: 'concurrent' } as const;
    fc.assert(
      fc.property(vector, vector, (a, b) => {
        expect(compare(b, a)).toBe(mirror[compare(a, b)]);
      }),
    );
  });

  it('an increment happens after what it incremented, and adds one to the total', () => {
    fc.assert(
      fc.property(vector, writer, (a, w) => {
        expect(compare(increment(a, w), a)).toBe('after');
        expect(total(increment(a, w))).toBe(total(a) + 1);
      }),
    );
  });

  it('two writers incrementing one base are concurrent', () => {
    fc.assert(
      fc.property(vector, (base) => {
        expect(compare(increment(base, 'a'), increment(base, 'b'))).toBe('concurrent');
      }),
    );
  });

  it('names exactly the writers that wrote since a base', () => {
    fc.assert(
      fc.property(vector, fc.array(writer), (base, ws) => {
        const later = ws.reduce((vv, w) => increment(vv, w), base);
        expect(writersSince(base, later)).toEqual([...new Set(ws)].sort());
      }),
    );
  });
});
