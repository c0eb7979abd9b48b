import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Anchor, type NodeAnchor, openRepository, type Repository, type Session, versionVectors } from '../../src/index.ts';
import { backends } from '../support/backends.ts';

const CODES = new Set([
  'validation',
  'access_denied',
  'not_found',
  'field_conflict',
  'deleted_concurrently',
  'read_conflict',
  'retries_exhausted',
]);

const wild = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
  maxDepth: 4,
});
const idLike = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', 'u', "'; DROP TABLE anchors; --", 'x'.repeat(300)),
  wild,
);

type Step =
  | { op: 'create'; type: unknown; fields: unknown }
  | { op: 'get'; id: unknown }
  | { op: 'connect'; a: number; b: number; opts: unknown }
  | { op: 'neighbors'; a: number; opts: unknown }
  | { op: 'set'; a: number; key: string; value: unknown }
  | { op: 'destroy'; a: number }
  | { op: 'session'; root: unknown }
  | { op: 'commit' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('create' as const),
    type: fc.oneof(fc.constantFrom('Node', 'P'), fc.string(), wild),
    fields: fc.oneof(fc.dictionary(fc.string(), wild), wild),
  }),
  fc.record({ op: fc.constant('get' as const), id: idLike }),
  fc.record({
    op: fc.constant('connect' as const),
    a: fc.nat(9),
    b: fc.nat(9),
    opts: fc.oneof(fc.constant(undefined), fc.record({ type: fc.string() }), wild),
  }),
  fc.record({
    op: fc.constant('neighbors' as const),
    a: fc.nat(9),
    opts: fc.oneof(fc.constant(undefined), fc.record({ direction: fc.string() }), wild),
  }),
  fc.record({ op: fc.constant('set' as const), a: fc.nat(9), key: fc.string(), value: wild }),
  fc.record({ op: fc.constant('destroy' as const), a: fc.nat(9) }),
  fc.record({ op: fc.constant('session' as const), root: fc.oneof(fc.constant('u'), idLike) }),
  fc.constant({ op: 'commit' as const }),
);

/** Runs one call; it must succeed or throw an anchorage error with a known code. */
async function typed(call: () => unknown): Promise<void> {
  try {
    await call();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!(error instanceof Error) || typeof code !== 'string' || !CODES.has(code)) throw error;
  }
}

async function invariants(repo: Repository): Promise<void> {
  const s = repo.session();
  const root = (await s.get('u')) as NodeAnchor | undefined;
  if (!root) return;
  const seen = new Set<string>();
  const stack: NodeAnchor[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as NodeAnchor;
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    expect(Object.values(n.versionVector).reduce((x, y) => x + y, 0)).toBe(n.version);
    for (const e of await s.edges(n)) {
      const other = (await s.get(e.source === n.id ? e.target : e.source)) as NodeAnchor | undefined;
      expect(other, `dangling edge ${e.id}`).toBeDefined();
      if (other) {
        expect(other.edgeIds).toContain(e.id);
        stack.push(other);
      }
    }
    expect((await s.edges(n)).length).toBe(n.edgeIds.length);
  }
}

describe.each(backends)('fuzzing the public API on $name', (backend) => {
  it('answers any input with a result or a typed error, and the store stays whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const db = await backend.create();
        try {
          const repo = await db.repo({ maxAnchorBytes: 4096 });
          let s: Session = repo.session({ root: 'u' });
          const known: Anchor[] = [await s.root()];
          const pick = (i: number) => known[i % known.length] as NodeAnchor;
          for (const st of steps) {
            if (st.op === 'create')
              await typed(() => known.push(s.create(st.type as string, st.fields as Record<string, never>)));
            else if (st.op === 'get') await typed(async () => void (await s.get(st.id as string)));
            else if (st.op === 'connect') await typed(() => s.connect(pick(st.a), pick(st.b), st.opts as never));
            else if (st.op === 'neighbors') await typed(() => s.neighbors(pick(st.a), st.opts as never));
            else if (st.op === 'set') pick(st.a).fields[st.key] = st.value as never;
            else if (st.op === 'destroy') await typed(() => s.destroy(pick(st.a)));
            else if (st.op === 'commit') await typed(() => s.commit());
            else
              await typed(async () => {
                s = repo.session({ root: st.root as string });
                known.splice(0, known.length, await s.root());
              });
          }
          await typed(() => s.commit());
          await invariants(repo);
        } finally {
          await db.cleanup();
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('refuses wild repository options with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(wild, async (options) => {
        await typed(async () => {
          const repo = await openRepository({
            url: 'memory:',
            ...(typeof options === 'object' && options !== null ? options : { junk: options }),
          } as never);
          await repo.close();
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('fuzzing the entry points outside a session', () => {
  it('refuses a transaction body or options that are not what it takes, with a typed error', async () => {
    const repo = await openRepository({ url: 'memory:' });
    try {
      await fc.assert(
        fc.asyncProperty(wild, wild, async (fn, options) => {
          await typed(() => repo.transaction(fn as never, options as never));
        }),
        { numRuns: 200 },
      );
      await expect(repo.transaction('nope' as never)).rejects.toMatchObject({ code: 'validation', path: 'fn' });
    } finally {
      await repo.close();
    }
  });

  it('answers versionVectors calls on any input with a result or a typed error', async () => {
    const calls = [
      (a: unknown, b: unknown) => versionVectors.compare(a as never, b as never),
      (a: unknown, b: unknown) => versionVectors.merge(a as never, b as never),
      (a: unknown, b: unknown) => versionVectors.increment(a as never, b as never),
      (a: unknown, b: unknown) => versionVectors.writersSince(a as never, b as never),
      (a: unknown) => versionVectors.total(a as never),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(calls.length - 1), wild, wild, async (i, a, b) => {
        await typed(() => calls[i]?.(a, b));
      }),
      { numRuns: 300 },
    );
    expect(() => versionVectors.compare(null as never, {})).toThrow(expect.objectContaining({ code: 'validation', path: 'a' }));
    expect(() => versionVectors.merge({ a: 'x' } as never, {})).toThrow(
      expect.objectContaining({ code: 'validation', path: 'a.a' }),
    );
    expect(versionVectors.compare({ a: 1 }, { a: 1, b: 1 })).toBe('before');
  });
});
