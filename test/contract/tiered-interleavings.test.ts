import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { TieredMemory } from '../../src/adapters/tiered/index.ts';
import type { NodeAnchor, Repository } from '../../src/index.ts';
import { backends } from '../support/backends.ts';
import { useDatabase } from '../support/use-database.ts';

/** What a request does between loading the root and its end. */
type Step = 'add-put-edge' | 'add-put-root' | 'add-put-many' | 'add-staged' | 'touch' | 'remove-last' | 'sync';
const step = fc.constantFrom<Step>('add-put-edge', 'add-put-root', 'add-put-many', 'add-staged', 'touch', 'remove-last', 'sync');

/**
 * Requests (their steps, ending in `close` or in being dropped unwritten, as a crashed request)
 * and an interleaving: picks[i] chooses which unfinished request moves next.
 */
const scenario = fc
  .array(fc.record({ steps: fc.array(step, { minLength: 1, maxLength: 5 }), closes: fc.boolean() }), {
    minLength: 2,
    maxLength: 4,
  })
  .chain((requests) => {
    const total = requests.reduce((n, r) => n + r.steps.length + 2, 0); // + load + close/drop
    return fc.record({ requests: fc.constant(requests), picks: fc.array(fc.nat(), { minLength: total, maxLength: total }) });
  });

interface Request {
  readonly mem: TieredMemory;
  readonly key: string;
  readonly steps: Array<Step | 'load' | 'close' | 'drop'>;
  root?: NodeAnchor;
  /** This request's children still meant to exist, in creation order. */
  readonly children: string[];
  /** Staged and not yet acknowledged: added children, removed (written) children, the last touch. */
  readonly adds: Set<string>;
  readonly removes: Set<string>;
  touch?: number;
  touches: number;
}

describe.each(backends)('tiered memories interleaved on $name', (backend) => {
  const fx = useDatabase(backend);
  let repos: Repository[];
  beforeEach(async () => {
    repos = [fx.repo, await fx.db.repo({ writerId: 'B' })];
  });

  /** The user's root as stored: its children, edge count and fields. */
  const stored = async (user: string) => {
    const check = new TieredMemory(repos[0] as Repository, { root: user });
    const root = await check.getRoot();
    const children = (await check.neighbors(root)).map((c) => c.id).sort();
    return { children, edges: root.edgeIds.length, fields: { ...root.fields } };
  };

  it('loses no acknowledged edge or field, whatever the order of put(), putMany(), sync() and remove()', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ requests: scripts, picks }) => {
        const user = `user-${run++}`;
        const acked = { children: new Set<string>(), touches: new Map<string, number>() };
        const requests: Request[] = scripts.map(({ steps, closes }, i) => ({
          mem: new TieredMemory(repos[i % 2] as Repository, { root: user }),
          key: `touch_${i}`,
          steps: ['load', ...steps, closes ? 'close' : 'drop'],
          children: [],
          adds: new Set(),
          removes: new Set(),
          touches: 0,
        }));
        const snapshot = () => ({
          children: [...acked.children].sort(),
          edges: acked.children.size,
          fields: Object.fromEntries(acked.touches),
        });
        /** A write that carried every staged change of `r` succeeded. */
        const ackAll = (r: Request) => {
          for (const id of r.adds) acked.children.add(id);
          for (const id of r.removes) acked.children.delete(id);
          if (r.touch !== undefined) acked.touches.set(r.key, r.touch);
          r.adds.clear();
          r.removes.clear();
          r.touch = undefined;
        };
        const pending = [...requests];
        for (const pick of picks) {
          const r = pending[pick % pending.length] as Request;
          const s = r.steps.shift();
          if (r.steps.length === 0) pending.splice(pending.indexOf(r), 1);
          if (s === 'load') {
            r.root = await r.mem.getRoot();
            continue;
          }
          if (s === 'drop') continue;
          const root = r.root as NodeAnchor;
          if (s === 'add-put-edge' || s === 'add-put-many' || s === 'add-staged' || s === 'add-put-root') {
            const child = r.mem.create('Child', {});
            const edge = r.mem.connect(root, child);
            r.children.push(child.id);
            if (s === 'add-put-edge' || s === 'add-put-many') {
              // The edge and its new endpoint go now; the root's other staged changes stay staged.
              await (s === 'add-put-edge' ? r.mem.put(edge) : r.mem.putMany([edge, child]));
              acked.children.add(child.id);
              continue;
            }
            r.adds.add(child.id);
            if (s === 'add-put-root') {
              await r.mem.put(root); // every edge staged at the root, its removals and its fields
              ackAll(r);
            }
          } else if (s === 'touch') {
            r.touch = ++r.touches;
            root.fields[r.key] = r.touch;
          } else if (s === 'remove-last') {
            const last = r.children.pop();
            if (last === undefined) continue;
            await r.mem.remove(last);
            if (!r.adds.delete(last)) r.removes.add(last);
          } else {
            await (s === 'sync' ? r.mem.sync() : r.mem.close());
            ackAll(r);
          }
          // Steps run one at a time, so what is stored is exactly what was acknowledged.
          expect(await stored(user)).toEqual(snapshot());
        }

        expect(await stored(user)).toEqual(snapshot());
      }),
      { numRuns: 40 },
    );
  });
});
