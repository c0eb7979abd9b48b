import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FieldPolicy, policyFor, rebaseFields } from '../../src/core/merge-policy.ts';

const reject = (): FieldPolicy => 'reject';

describe('per-field rebase', () => {
  it('takes my value for a field nobody else changed, and keeps their other fields', () => {
    const out = rebaseFields({ a: 1, b: 'theirs' }, [{ key: 'a', base: 1, mine: 2 }], reject);
    expect(out).toEqual({ ok: true, fields: { a: 2, b: 'theirs' }, resolved: [] });
  });

  it('rejects the same field changed by both, even to equal values (a lost increment)', () => {
    const out = rebaseFields({ n: 1 }, [{ key: 'n', base: 0, mine: 1 }], reject);
    expect(out).toEqual({ ok: false, conflicting: ['n'] });
  });

  it('lets the later writer win under lww', () => {
    const out = rebaseFields({ n: 5 }, [{ key: 'n', base: 0, mine: 1 }], () => 'lww');
    expect(out).toMatchObject({ ok: true, fields: { n: 1 }, resolved: [{ key: 'n', resolution: 'lww' }] });
  });

  it('merges a counter with a custom function: theirs + mine - base', () => {
    const counter: FieldPolicy = (base, mine, theirs) => (theirs as number) + (mine as number) - (base as number);
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (base, mineInc, theirInc) => {
        const out = rebaseFields({ n: base + theirInc }, [{ key: 'n', base, mine: base + mineInc }], () => counter);
        expect(out).toMatchObject({ ok: true, fields: { n: base + mineInc + theirInc } });
      }),
    );
  });

  it('removes a field I unset, and treats a field they removed as changed by them', () => {
    expect(rebaseFields({ a: 1, b: 2 }, [{ key: 'a', base: 1, mine: undefined }], reject)).toMatchObject({
      ok: true,
      fields: { b: 2 },
    });
    expect(rebaseFields({}, [{ key: 'a', base: 1, mine: 3 }], reject)).toEqual({ ok: false, conflicting: ['a'] });
  });

  it('compares values structurally, ignoring key order', () => {
    const out = rebaseFields({ o: { y: 2, x: 1 } }, [{ key: 'o', base: { x: 1, y: 2 }, mine: { x: 9, y: 2 } }], reject);
    expect(out).toMatchObject({ ok: true, fields: { o: { x: 9, y: 2 } } });
  });

  it('finds the policy by type and field, with * as the type-wide default and reject otherwise', () => {
    const table = { Counter: { n: 'lww' as const, '*': 'lww' as const }, Doc: { title: 'lww' as const } };
    expect(policyFor(table, 'Counter', 'other')).toBe('lww');
    expect(policyFor(table, 'Doc', 'title')).toBe('lww');
    expect(policyFor(table, 'Doc', 'body')).toBe('reject');
    expect(policyFor(table, 'Nope', 'x')).toBe('reject');
  });
});
