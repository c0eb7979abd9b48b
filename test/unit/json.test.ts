import { describe, expect, it } from 'vitest';
import { findJsonIssue, jsonEqual } from '../../src/core/json.ts';

describe('JSON values', () => {
  it.each([
    ['a function', { f: () => 1 }, 'f', 'function'],
    ['a BigInt', { n: 1n }, 'n', 'bigint'],
    ['a symbol', { s: Symbol('x') }, 's', 'symbol'],
    ['NaN', { x: [1, Number.NaN] }, 'x[1]', 'finite'],
    ['Infinity', { x: Number.POSITIVE_INFINITY }, 'x', 'finite'],
    ['undefined in an array', { a: [1, undefined] }, 'a[1]', 'undefined'],
    // biome-ignore lint/suspicious/noSparseArray: a sparse array is the input under test
    ['a sparse array', { a: [1, , 3] }, 'a[1]', 'sparse'],
    ['a Date', { d: new Date(0) }, 'd', 'Date'],
    ['a Map', { m: new Map() }, 'm', 'Map'],
    ['an odd key path', { 'a b': { c: () => 1 } }, '["a b"].c', 'function'],
  ])('refuses %s, naming the path', (_name, value, path, message) => {
    const issue = findJsonIssue(value);
    expect(issue?.path).toBe(path);
    expect(issue?.message).toContain(message);
  });

  it('refuses cycles', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(findJsonIssue(a)).toMatchObject({ path: 'self', message: 'cyclic reference' });
  });

  it('refuses nesting deeper than the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(findJsonIssue({ deep })?.message).toContain('deeper');
  });

  it('accepts plain JSON, shared (non-cyclic) subobjects, and unicode', () => {
    const shared = { k: 'v' };
    expect(findJsonIssue({ a: [1, 'two', null, true, { b: shared }], c: shared, ключ: '😀', e: -0.5 })).toBeUndefined();
  });

  it('compares structurally', () => {
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual(undefined, null)).toBe(false);
  });
});
