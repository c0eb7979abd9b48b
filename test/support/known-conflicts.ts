import { Registry } from 'prom-client';
import { hasCode, type NodeAnchor, openRepository, type Repository, type Session } from '../../src/index.ts';

/** Policies of the `Doc` type both writers use. */
const policies = {
  Doc: {
    status: 'lww' as const,
    views: (base: unknown, mine: unknown, theirs: unknown) => Number(theirs) + Number(mine) - Number(base),
  },
};

/**
 * What `forceKnownConflicts` does, counted by hand: alice commits a setup and then wins five
 * races against bob, one node each — a field both set (rejected), an `lww` field, a merged
 * counter, an edge each added (bob's edge list is rebased), a node alice deletes while bob
 * changes it (rejected). Two of bob's commits fail; every conflict is bob's, raced by alice
 * (but the delete, whose row is gone, so its writer is unknown).
 */
export const KNOWN = {
  commits: { committed: 9, conflict: 2, exhausted: 0, error: 0 },
  casAttempts: { committed: 9, conflict: 4, busy: 0, error: 0 },
  conflicts: [
    { kind: 'field', resolution: 'rejected', count: 1 },
    { kind: 'field', resolution: 'lww', count: 1 },
    { kind: 'field', resolution: 'merged', count: 1 },
    { kind: 'edge', resolution: 'rebased', count: 1 },
    { kind: 'delete', resolution: 'rejected', count: 1 },
  ],
  total: 5,
  escaped: 2,
  /** bob met alice's writes in four conflicts. */
  pairs: { writer: 'bob', raced: 'alice', count: 4 },
} as const;

export interface KnownConflicts {
  readonly alice: Repository;
  readonly bob: Repository;
  readonly registry: Registry;
  /** The nodes raced on; `status` met two conflicts (lww, then merged), the others one each. */
  readonly ids: { readonly title: string; readonly status: string; readonly edges: string; readonly doomed: string };
}

async function pair(alice: Repository, bob: Repository, id: string): Promise<[Session, NodeAnchor, Session, NodeAnchor]> {
  const a = alice.session();
  const b = bob.session();
  return [a, (await a.get(id)) as NodeAnchor, b, (await b.get(id)) as NodeAnchor];
}

/** Opens alice and bob on `url` (one prom-client registry) and plays the races of KNOWN. */
export async function forceKnownConflicts(url: string): Promise<KnownConflicts> {
  const registry = new Registry();
  const alice = await openRepository({ url, writerId: 'alice', policies, metrics: { registry } });
  const bob = await openRepository({ url, writerId: 'bob', policies, metrics: { registry } });

  const setup = alice.session();
  const ids = {
    title: setup.create('Doc', { title: 't' }).id,
    status: setup.create('Doc', { status: 'draft', views: 0 }).id,
    edges: setup.create('Doc', {}).id,
    doomed: setup.create('Doc', { title: 'old' }).id,
  };
  await setup.commit();

  let [a, na, b, nb] = await pair(alice, bob, ids.title);
  na.fields.title = 'alice';
  nb.fields.title = 'bob';
  await a.commit();
  await b.commit().then(
    () => Promise.reject(new Error('expected field_conflict')),
    (e: unknown) => (hasCode(e, 'field_conflict') ? undefined : Promise.reject(e)),
  );

  [a, na, b, nb] = await pair(alice, bob, ids.status);
  na.fields.status = 'review';
  nb.fields.status = 'published';
  await a.commit();
  await b.commit();

  [a, na, b, nb] = await pair(alice, bob, ids.status);
  na.fields.views = 2;
  nb.fields.views = 3;
  await a.commit();
  await b.commit();

  [a, na, b, nb] = await pair(alice, bob, ids.edges);
  a.connect(na, a.create('Note', { by: 'alice' }));
  b.connect(nb, b.create('Note', { by: 'bob' }));
  await a.commit();
  await b.commit();

  [a, na, b, nb] = await pair(alice, bob, ids.doomed);
  a.destroy(na);
  nb.fields.title = 'late';
  await a.commit();
  await b.commit().then(
    () => Promise.reject(new Error('expected deleted_concurrently')),
    (e: unknown) => (hasCode(e, 'deleted_concurrently') ? undefined : Promise.reject(e)),
  );

  return { alice, bob, registry, ids };
}
