import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CommitPlan, rebasePlan } from '../../src/core/commit-plan.ts';
import type { AnchorRow } from '../../src/core/row.ts';

const row = (
  id: string,
  version: number,
  fields: Record<string, number> = {},
  vv: Record<string, number> = { a: version },
): AnchorRow => ({
  kind: 'node',
  id,
  type: 'T',
  root: 'r',
  fields,
  version,
  vv,
});
const empty: CommitPlan = { inserts: [], updates: [], deletes: [], checks: [], endpoints: [] };
const update = (id: string, base: Record<string, number>, mine: Record<string, number>) => ({
  id,
  type: 'T',
  expect: 1,
  baseVv: { a: 1 },
  fields: { ...base, ...mine },
  changes: Object.keys(mine).map((key) => ({ key, base: base[key], mine: mine[key] })),
});

describe('rebasing a commit plan onto stale rows', () => {
  it('gives the same fields whichever of two sessions changing different fields commits first', () => {
    const keys = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 2, maxLength: 6 });
    fc.assert(
      fc.property(keys, fc.integer({ min: 1, max: 5 }), (ks, split) => {
        const base = Object.fromEntries(ks.map((k) => [k, 0]));
        const mineA = Object.fromEntries(ks.slice(0, split).map((k) => [k, 1]));
        const mineB = Object.fromEntries(ks.slice(split).map((k) => [k, 2]));
        // A first, then B rebases onto A's row; and the reverse.
        const afterA = row('n', 2, { ...base, ...mineA });
        const bOnA = rebasePlan({ ...empty, updates: [update('n', base, mineB)] }, [{ id: 'n', current: afterA }], {
          policies: {},
        });
        const afterB = row('n', 2, { ...base, ...mineB });
        const aOnB = rebasePlan({ ...empty, updates: [update('n', base, mineA)] }, [{ id: 'n', current: afterB }], {
          policies: {},
        });
        expect(bOnA.ok && aOnB.ok).toBe(true);
        if (bOnA.ok && aOnB.ok) expect(bOnA.plan.updates[0]?.fields).toEqual(aOnB.plan.updates[0]?.fields);
      }),
    );
  });

  it('moves the expected version and vector to the stale row, naming the writers that raced', () => {
    const out = rebasePlan(
      { ...empty, updates: [update('n', { x: 0 }, { y: 1 })] },
      [{ id: 'n', current: row('n', 3, { x: 5 }, { a: 1, b: 2 }) }],
      {
        policies: {},
      },
    );
    expect(out).toMatchObject({
      ok: true,
      plan: { updates: [{ expect: 3, baseVv: { a: 1, b: 2 }, fields: { x: 5, y: 1 } }] },
      events: [{ kind: 'field', resolution: 'rebased', writers: ['b'] }],
    });
  });

  it('fails a change to a row deleted since with deleted_concurrently', () => {
    const out = rebasePlan({ ...empty, updates: [update('n', { x: 0 }, { x: 1 })] }, [{ id: 'n', current: null }], {
      policies: {},
    });
    expect(out).toMatchObject({ ok: false, error: { code: 'deleted_concurrently', anchorId: 'n' } });
  });

  it('fails an edge into a node deleted since with deleted_concurrently', () => {
    const plan: CommitPlan = {
      ...empty,
      inserts: [{ kind: 'edge', id: 'e', type: 'E', root: 'r', fields: {}, source: 'a', target: 'b' }],
    };
    expect(rebasePlan(plan, [{ id: 'b', current: null }], { policies: {} })).toMatchObject({
      ok: false,
      error: { code: 'deleted_concurrently' },
    });
  });

  it('drops a delete whose row is already gone, and moves a stale delete to the new version', () => {
    const plan: CommitPlan = {
      ...empty,
      deletes: [
        { id: 'gone', type: 'T', expect: 1, baseVv: {} },
        { id: 'moved', type: 'T', expect: 1, baseVv: {} },
      ],
    };
    const out = rebasePlan(
      plan,
      [
        { id: 'gone', current: null },
        { id: 'moved', current: row('moved', 4) },
      ],
      { policies: {} },
    );
    expect(out).toMatchObject({ ok: true, plan: { deletes: [{ id: 'moved', expect: 4 }] } });
  });

  it('fails a stale serializable read with read_conflict, even when the write would merge', () => {
    const plan: CommitPlan = { ...empty, checks: [{ id: 'n', expect: 1 }], updates: [update('n', {}, { y: 1 })] };
    expect(rebasePlan(plan, [{ id: 'n', current: row('n', 2) }], { policies: {} })).toMatchObject({
      ok: false,
      error: { code: 'read_conflict', anchorId: 'n' },
    });
  });
});
