import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EdgeAnchor, NodeAnchor, Repository, Session } from '../../src/index.ts';
import { backends } from '../support/backends.ts';

const USER = 'u';
const NODES = 4;

type Op =
  | { kind: 'connect'; node: number }
  | { kind: 'set'; node: number }
  | { kind: 'destroy'; node: number }
  | { kind: 'disconnect'; node: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('connect' as const), node: fc.nat(NODES - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), node: fc.nat(NODES - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('destroy' as const), node: fc.nat(NODES - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), node: fc.nat(NODES - 1) }) },
);

/** Sessions, each a list of ops, and an order of "load" and "commit" steps (load before commit). */
const scenario = fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 4 }).chain((sessions) =>
  fc
    .shuffledSubarray(
      sessions.flatMap((_, i) => [`L${i}`, `C${i}`]),
      { minLength: sessions.length * 2 },
    )
    .map((steps) => {
      // Put each session's load before its commit, keeping the shuffled positions.
      const order = [...steps];
      for (let i = 0; i < sessions.length; i++) {
        const l = order.indexOf(`L${i}`);
        const c = order.indexOf(`C${i}`);
        if (l > c) [order[l], order[c]] = [order[c] as string, order[l] as string];
      }
      return { sessions, order };
    }),
);

interface Acked {
  edges: Array<{ id: string; a: string; b: string }>;
  fields: Array<{ node: string; key: string; value: number }>;
  destroyed: Set<string>;
  disconnected: Set<string>;
}

async function setup(repo: Repository): Promise<string[]> {
  const s = repo.session({ root: USER });
  const root = await s.root();
  const nodes = Array.from({ length: NODES }, (_, i) => s.create('N', { i }));
  for (const n of nodes) s.connect(root, n);
  await s.commit();
  return nodes.map((n) => n.id);
}

async function stage(s: Session, ops: Op[], ids: string[], tag: number, loaded: Map<string, NodeAnchor>) {
  const staged: Acked = { edges: [], fields: [], destroyed: new Set(), disconnected: new Set() };
  for (const [j, o] of ops.entries()) {
    const node = loaded.get(ids[o.node] as string);
    if (!node || !(await s.get(node.id))) continue;
    if (o.kind === 'connect') {
      const leaf = s.create('Leaf', { tag });
      const e = s.connect(node, leaf);
      staged.edges.push({ id: e.id, a: node.id, b: leaf.id });
    } else if (o.kind === 'set') {
      const key = `s${tag}_${j}`;
      node.fields[key] = j;
      staged.fields.push({ node: node.id, key, value: j });
    } else if (o.kind === 'destroy') {
      s.destroy(node);
      staged.destroyed.add(node.id);
    } else {
      const [edge] = (await s.edges(node)).filter((e: EdgeAnchor) => e.source === node.id);
      if (edge) {
        s.disconnect(edge);
        staged.disconnected.add(edge.id);
      }
    }
  }
  return staged;
}

async function checkInvariants(repo: Repository, ids: string[], acked: Acked) {
  const s = repo.session();
  const all = [USER, ...ids, ...acked.edges.map((e) => e.b)];
  for (const id of all) {
    const n = await s.get(id);
    if (acked.destroyed.has(id)) expect(n, `destroyed ${id} came back`).toBeUndefined();
    if (n?.kind !== 'node') continue;
    expect(Object.values(n.versionVector).reduce((x, y) => x + y, 0)).toBe(n.version);
    for (const edgeId of n.edgeIds) {
      const e = await s.get(edgeId);
      expect(e?.kind, `dangling ${edgeId} at ${id}`).toBe('edge');
      if (e?.kind !== 'edge') continue;
      for (const end of [e.source, e.target]) expect(((await s.get(end)) as NodeAnchor | undefined)?.edgeIds).toContain(edgeId);
    }
  }
  for (const e of acked.edges) {
    const [a, b] = [await s.get(e.a), await s.get(e.b)];
    if (a && b && !acked.disconnected.has(e.id)) expect((a as NodeAnchor).edgeIds, `lost edge ${e.id}`).toContain(e.id);
  }
  for (const f of acked.fields) {
    const n = await s.get(f.node);
    if (n) expect(n.fields[f.key], `lost field ${f.key}`).toBe(f.value);
  }
}

describe.each(backends)('random interleavings on $name', (backend) => {
  it('never loses an acknowledged edge or field, never resurrects, never dangles', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ sessions, order }) => {
        const db = await backend.create();
        try {
          const repos = [await db.repo({ writerId: 'A' }), await db.repo({ writerId: 'B' })];
          const ids = await setup(repos[0] as Repository);
          const acked: Acked = { edges: [], fields: [], destroyed: new Set(), disconnected: new Set() };
          const open = new Map<number, { s: Session; loaded: Map<string, NodeAnchor> }>();
          for (const step of order) {
            const i = Number(step.slice(1));
            if (step.startsWith('L')) {
              const s = (repos[i % 2] as Repository).session({ root: USER });
              const loaded = new Map<string, NodeAnchor>();
              for (const id of ids) {
                const n = await s.get(id);
                if (n?.kind === 'node') loaded.set(id, n);
              }
              open.set(i, { s, loaded });
              continue;
            }
            const { s, loaded } = open.get(i) as { s: Session; loaded: Map<string, NodeAnchor> };
            const staged = await stage(s, sessions[i] as Op[], ids, i, loaded);
            try {
              await s.commit();
            } catch (error) {
              expect((error as { code: string }).code).toBe('deleted_concurrently');
              continue;
            }
            acked.edges.push(...staged.edges);
            acked.fields.push(...staged.fields);
            for (const d of staged.destroyed) acked.destroyed.add(d);
            for (const d of staged.disconnected) acked.disconnected.add(d);
          }
          await checkInvariants(repos[0] as Repository, ids, acked);
        } finally {
          await db.cleanup();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
