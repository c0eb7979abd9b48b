import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EdgeAnchor, type NodeAnchor, openRepository, type Repository, type RepositoryObserver } from '../../src/index.ts';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts';

/**
 * The order law of DESIGN §3.1–3.2, through the public API: a delta with field changes and
 * edge adds/removes (A), committed against a concurrent edge-only delta (B) — both sessions
 * loaded the node before either committed — gives the same fields and the same edge set in
 * either commit order, and neither commit drops an edge it did not remove.
 */

const FIELDS = ['a', 'b', 'c', 'd'] as const;
const INITIAL_EDGES = 5;
const TARGETS = 3;

/** A target of an added edge: a node the delta creates, or one of the stored targets. */
type Target = { readonly kind: 'new' } | { readonly kind: 'old'; readonly index: number };

interface Deltas {
  /** A's field changes on the hub (the other fields stay as stored). */
  readonly fields: Readonly<Record<string, number>>;
  readonly addA: readonly Target[];
  /** Indexes of stored edges A removes; B removes others (a disjoint set). */
  readonly removeA: readonly number[];
  readonly addB: readonly Target[];
  readonly removeB: readonly number[];
  /** B adds its edges towards the hub (target → hub) instead of away from it. */
  readonly inbound: boolean;
}

const target: fc.Arbitrary<Target> = fc.oneof(
  fc.constant({ kind: 'new' } as const),
  fc.integer({ min: 0, max: TARGETS - 1 }).map((index) => ({ kind: 'old', index }) as const),
);

const deltas: fc.Arbitrary<Deltas> = fc
  .record({
    fields: fc.dictionary(fc.constantFrom(...FIELDS), fc.integer({ min: 1, max: 99 }), { minKeys: 1 }),
    addA: fc.array(target, { maxLength: 3 }),
    addB: fc.array(target, { minLength: 1, maxLength: 3 }),
    // Each stored edge is kept, removed by A, or removed by B.
    fate: fc.array(fc.constantFrom('keep', 'A', 'B'), { minLength: INITIAL_EDGES, maxLength: INITIAL_EDGES }),
    inbound: fc.boolean(),
  })
  .map(({ fate, ...rest }) => ({
    ...rest,
    removeA: fate.flatMap((f, i) => (f === 'A' ? [i] : [])),
    removeB: fate.flatMap((f, i) => (f === 'B' ? [i] : [])),
  }));

/** Two repositories (two writers) on one fresh database of the variant. */
interface Variant {
  readonly name: string;
  /** Property runs (each opens two databases). */
  readonly runs: number;
  open(observer: RepositoryObserver): Promise<{ a: Repository; b: Repository; close(): Promise<void> }>;
}

const variants: Variant[] = [
  {
    name: 'memory, two writers',
    runs: 50,
    async open(observer) {
      const store = new MemoryStorage();
      const a = await openRepository({ storage: store, writerId: 'A', metrics: false, observers: [observer] });
      const b = await openRepository({ storage: store, writerId: 'B', metrics: false, observers: [observer] });
      return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
    },
  },
  {
    name: 'sqlite::memory:, two sessions',
    runs: 25,
    async open(observer) {
      const repo = await openRepository({
        url: 'sqlite::memory:',
        metrics: false,
        journalRetention: false,
        observers: [observer],
      });
      return { a: repo, b: repo, close: () => repo.close() };
    },
  },
];

/** The hub's final fields and edge set, with every id replaced by its label (ids differ per run). */
interface Outcome {
  fields: Record<string, unknown>;
  edges: string[];
  /** Conflicting attempts met by the second commit (0: it never had to rebase). */
  rebased: number;
}

/** Seeds the hub (fields and stored edges), stages A and B on sessions that both loaded it, commits in `order`. */
async function play(variant: Variant, d: Deltas, order: 'AB' | 'BA'): Promise<Outcome> {
  // Attempts of the second commit that found the hub's row stale and rebased.
  let second = false;
  let rebased = 0;
  const observer: RepositoryObserver = { onAttempt: (e) => void (second && e.outcome === 'conflict' && rebased++) };
  const { a: repoA, b: repoB, close } = await variant.open(observer);
  try {
    const seed = repoA.session();
    const hub = seed.create('Hub', { label: 'hub', a: 0, b: 0, c: 0, d: 0 });
    const targets = Array.from({ length: TARGETS }, (_, i) => seed.create('T', { label: `t${i}` }));
    const stored = Array.from({ length: INITIAL_EDGES }, (_, i) =>
      seed.connect(hub, targets[i % TARGETS] as NodeAnchor, { fields: { label: `s${i}` } }),
    );
    await seed.commit();

    // Both sessions load what they touch before either commits.
    const stage = async (repo: Repository, who: 'A' | 'B') => {
      const s = repo.session();
      const h = (await s.get(hub.id)) as NodeAnchor;
      const ts = (await Promise.all(targets.map((t) => s.get(t.id)))) as NodeAnchor[];
      const adds = who === 'A' ? d.addA : d.addB;
      adds.forEach((t, i) => {
        const other = t.kind === 'new' ? s.create('T', { label: `${who}-new${i}` }) : (ts[t.index] as NodeAnchor);
        const [from, to] = who === 'B' && d.inbound ? [other, h] : [h, other];
        s.connect(from, to, { fields: { label: `${who}${i}` } });
      });
      for (const i of who === 'A' ? d.removeA : d.removeB)
        s.disconnect((await s.get((stored[i] as EdgeAnchor).id)) as EdgeAnchor);
      if (who === 'A') Object.assign(h.fields, d.fields);
      return s;
    };
    const sa = await stage(repoA, 'A');
    const sb = await stage(repoB, 'B');

    await (order === 'AB' ? sa : sb).commit();
    second = true;
    await (order === 'AB' ? sb : sa).commit();

    const check = repoA.session();
    const h = (await check.get(hub.id)) as NodeAnchor;
    const labelOf = async (id: string) => ((await check.get(id))?.fields.label as string | undefined) ?? `missing:${id}`;
    const edges: string[] = [];
    for (const id of h.edgeIds) {
      const e = (await check.get(id)) as EdgeAnchor | undefined;
      expect(e?.kind, `hub lists ${id}`).toBe('edge');
      if (!e) continue;
      // Both endpoints exist and list the edge: no dangling id either way.
      for (const end of [e.source, e.target]) expect(((await check.get(end)) as NodeAnchor).edgeIds).toContain(id);
      edges.push(`${await labelOf(e.source)}-${e.fields.label}->${await labelOf(e.target)}`);
    }
    // Removed edges are gone as rows and from the targets' lists; what the targets list resolves.
    for (const [i, e] of stored.entries()) {
      const removed = d.removeA.includes(i) || d.removeB.includes(i);
      expect(await check.get(e.id), `stored edge s${i}`).toEqual(removed ? undefined : expect.objectContaining({ kind: 'edge' }));
    }
    for (const t of targets) {
      for (const id of ((await check.get(t.id)) as NodeAnchor).edgeIds) {
        const e = (await check.get(id)) as EdgeAnchor | undefined;
        expect(e && [e.source, e.target], `t lists ${id}`).toContain(t.id);
      }
    }
    const { label: _label, ...fields } = h.fields;
    return { fields, edges: edges.sort(), rebased };
  } finally {
    await close();
  }
}

/** What the contract says the hub must end with. */
function expected(d: Deltas): Outcome {
  const edges: string[] = [];
  for (let i = 0; i < INITIAL_EDGES; i++) {
    if (!d.removeA.includes(i) && !d.removeB.includes(i)) edges.push(`hub-s${i}->t${i % TARGETS}`);
  }
  const label = (who: string, t: Target, i: number) => (t.kind === 'new' ? `${who}-new${i}` : `t${t.index}`);
  for (const [i, t] of d.addA.entries()) edges.push(`hub-A${i}->${label('A', t, i)}`);
  for (const [i, t] of d.addB.entries()) {
    edges.push(d.inbound ? `${label('B', t, i)}-B${i}->hub` : `hub-B${i}->${label('B', t, i)}`);
  }
  return { fields: { a: 0, b: 0, c: 0, d: 0, ...d.fields }, edges: edges.sort(), rebased: 0 };
}

describe.each(variants)('the order law on $name', (variant) => {
  it('gives the same fields and edge set in either commit order, dropping no edge it did not remove', async () => {
    let rebased = 0;
    await fc.assert(
      fc.asyncProperty(deltas, async (d) => {
        const want = expected(d);
        const ab = await play(variant, d, 'AB');
        const ba = await play(variant, d, 'BA');
        rebased += ab.rebased + ba.rebased;
        expect({ ...ab, rebased: 0 }).toEqual(want);
        expect({ ...ba, rebased: 0 }).toEqual(want);
      }),
      { numRuns: variant.runs },
    );
    // The second commits did meet the first's writes and rebase onto them, or the law was not exercised.
    expect(rebased).toBeGreaterThan(0);
  });
});
