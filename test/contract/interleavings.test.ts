import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NodeAnchor, type Repository, StorageError } from '../../src/index.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { withApply } from '../support/fault-storage.ts';

const USER = 'user-1';

/** Every edge id listed at a node resolves to an edge whose endpoints exist and list it. */
async function expectNoDangling(repo: Repository, nodeIds: string[]) {
  const s = repo.session();
  for (const id of nodeIds) {
    const n = await s.get(id);
    if (n?.kind !== 'node') continue;
    for (const edgeId of n.edgeIds) {
      const e = await s.get(edgeId);
      expect(e?.kind, `edge ${edgeId} listed at ${id}`).toBe('edge');
      if (e?.kind !== 'edge') continue;
      for (const end of [e.source, e.target]) {
        const endpoint = await s.get(end);
        expect(endpoint?.kind, `endpoint ${end} of ${edgeId}`).toBe('node');
        if (endpoint?.kind === 'node') expect(endpoint.edgeIds).toContain(edgeId);
      }
    }
  }
}

describe.each(backends)('named interleavings on $name', (backend) => {
  let db: TestDatabase;
  let repoA: Repository;
  let repoB: Repository;
  beforeEach(async () => {
    db = await backend.create();
    repoA = await db.repo({ writerId: 'A' });
    repoB = await db.repo({ writerId: 'B' });
  });
  afterEach(async () => db.cleanup());

  async function seedProfile(): Promise<{ root: string; profile: string }> {
    const s = repoA.session({ root: USER });
    const root = await s.root();
    const profile = s.create('UserProfile', { name: 'ada' });
    s.connect(root, profile);
    await s.commit();
    return { root: root.id, profile: profile.id };
  }

  const neighborIds = async (repo: Repository, id: string) => {
    const s = repo.session({ root: USER });
    return (await s.neighbors((await s.get(id)) as NodeAnchor)).map((n) => n.id);
  };

  it('(a) keeps the profile edge when a stale session put()s the root after another committed an edge to it', async () => {
    const { root, profile } = await seedProfile();
    const stale = repoA.session({ root: USER });
    const staleRoot = await stale.root();
    expect(staleRoot.edgeIds).toHaveLength(1);

    const other = repoB.session({ root: USER });
    const project = other.create('Project', {});
    other.connect(await other.root(), project);
    await other.commit();

    const message = stale.create('Message', { text: 'hi' });
    stale.connect(staleRoot, message);
    staleRoot.fields.lastSeen = 42;
    await stale.put(staleRoot);

    expect(await neighborIds(repoB, root)).toEqual([profile, project.id, message.id]);
    const fresh = await repoB.session().get(root);
    expect(fresh?.fields).toEqual({ lastSeen: 42 });
    await expectNoDangling(repoB, [root, profile, project.id, message.id]);
  });

  it('(b) keeps both edges when two sessions add concurrently, in commit order', async () => {
    const { root, profile } = await seedProfile();
    const a = repoA.session({ root: USER });
    const b = repoB.session({ root: USER });
    const ra = await a.root();
    const rb = await b.root();
    const pa = a.create('Project', { by: 'a' });
    const pb = b.create('Project', { by: 'b' });
    const link = a.connect(ra, pa);
    b.connect(rb, pb);
    await b.commit();
    await a.commit();
    expect(await neighborIds(repoA, root)).toEqual([profile, pb.id, pa.id]);
    // The stale session's view is re-based on its own write and still shows its edge.
    expect(ra.edgeIds).toContain(link.id);
  });

  it('(c) refuses an edge to a node deleted concurrently: no zombie, no dangling edge', async () => {
    const { root, profile } = await seedProfile();
    const a = repoA.session({ root: USER });
    const b = repoB.session({ root: USER });
    const pa = (await a.get(profile)) as NodeAnchor;
    const pb = (await b.get(profile)) as NodeAnchor;
    a.destroy(pa);
    await a.commit();

    const project = b.create('Project', {});
    b.connect(pb, project);
    await expect(b.commit()).rejects.toMatchObject({ code: 'deleted_concurrently', anchorId: profile });

    const check = repoA.session();
    expect(await check.get(profile)).toBeUndefined();
    expect(await check.get(project.id)).toBeUndefined();
    expect(((await check.get(root)) as NodeAnchor).edgeIds).toEqual([]);
  });

  it('(c) lets a stale delete win and removes edges added since from both endpoints', async () => {
    const { root, profile } = await seedProfile();
    const a = repoA.session({ root: USER });
    const b = repoB.session({ root: USER });
    const pa = (await a.get(profile)) as NodeAnchor;
    const pb = (await b.get(profile)) as NodeAnchor;
    const project = b.create('Project', {});
    const link = b.connect(pb, project);
    await b.commit();

    a.destroy(pa);
    await a.commit();

    const check = repoA.session();
    expect(await check.get(profile)).toBeUndefined();
    expect(await check.get(link.id)).toBeUndefined();
    expect(((await check.get(project.id)) as NodeAnchor).edgeIds).toEqual([]);
    expect(((await check.get(root)) as NodeAnchor).edgeIds).toEqual([]);
    await expectNoDangling(repoA, [root, project.id]);
  });

  it.each(['field first', 'edge first'])('(d) keeps a field change and a concurrent edge add on one node (%s)', async (order) => {
    const { root, profile } = await seedProfile();
    const a = repoA.session({ root: USER });
    const b = repoB.session({ root: USER });
    const pa = (await a.get(profile)) as NodeAnchor;
    const pb = (await b.get(profile)) as NodeAnchor;
    pa.fields.name = 'Ada Lovelace';
    const project = b.create('Project', {});
    b.connect(pb, project);
    if (order === 'field first') {
      await a.commit();
      await b.commit();
    } else {
      await b.commit();
      await a.commit();
    }
    const check = repoA.session();
    const p = (await check.get(profile)) as NodeAnchor;
    expect(p.fields).toEqual({ name: 'Ada Lovelace' });
    expect(p.edgeIds).toHaveLength(2);
    expect(await neighborIds(repoA, profile)).toEqual([project.id]);
    expect(p.version).toBe(3);
    await expectNoDangling(repoA, [root, profile]);
  });

  it('(e) keeps both changes when two sessions change different fields', async () => {
    const { profile } = await seedProfile();
    const a = repoA.session({ root: USER });
    const b = repoB.session({ root: USER });
    const pa = (await a.get(profile)) as NodeAnchor;
    const pb = (await b.get(profile)) as NodeAnchor;
    pa.fields.email = 'ada@example.org';
    pb.fields.tags = ['math'];
    await a.commit();
    await b.commit();
    const p = await repoA.session().get(profile);
    expect(p?.fields).toEqual({ name: 'ada', email: 'ada@example.org', tags: ['math'] });
    expect(p?.versionVector).toEqual({ A: 2, B: 1 });
    // B's session re-based on the merged row.
    expect(pb.fields).toEqual({ name: 'ada', email: 'ada@example.org', tags: ['math'] });
  });

  it('(f) never writes back a node that a session only read', async () => {
    const { profile } = await seedProfile();
    await repoA.transaction(async (tx) => {
      ((await tx.get(profile)) as NodeAnchor).fields.nested = { list: [1] };
    });
    const reader = repoA.session({ root: USER });
    const pr = (await reader.get(profile)) as NodeAnchor;
    const nested = pr.fields.nested as { list: number[] };
    expect(nested.list).toEqual([1]); // read, even inside a nested value

    const writer = repoB.session({ root: USER });
    ((await writer.get(profile)) as NodeAnchor).fields.name = 'changed';
    await writer.commit();

    reader.create('Unrelated', {});
    await reader.commit();
    const p = await repoA.session().get(profile);
    expect(p?.fields).toEqual({ name: 'changed', nested: { list: [1] } });
    expect(p?.version).toBe(3);
  });

  it('(g) rejects the same field changed by both, writing nothing of the later commit', async () => {
    const { profile } = await seedProfile();
    const a = repoA.session({ root: USER });
    const b = repoB.session({ root: USER });
    const pa = (await a.get(profile)) as NodeAnchor;
    const pb = (await b.get(profile)) as NodeAnchor;
    pa.fields.name = 'A';
    pb.fields.name = 'A'; // equal values still conflict: both read 'ada'
    const extra = b.create('Extra', {});
    b.connect(pb, extra);
    await a.commit();
    const err = await b.commit().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'field_conflict', anchorId: profile, fields: ['name'], writers: ['A'] });

    const check = repoA.session();
    expect(await check.get(extra.id)).toBeUndefined();
    expect(((await check.get(profile)) as NodeAnchor).edgeIds).toHaveLength(1);
    // The failed session keeps its staged changes.
    expect(pb.fields.name).toBe('A');
  });

  it('(h) ends at +10 after 10 concurrent transactions increment one counter', async () => {
    const { profile } = await seedProfile();
    const repos = [repoA, repoB];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (repos[i % 2] as Repository).transaction(
          async (tx) => {
            const p = (await tx.get(profile)) as NodeAnchor;
            const n = (p.fields.count as number | undefined) ?? 0;
            await sleep(Math.random() * 5);
            p.fields.count = n + 1;
          },
          { root: USER },
        ),
      ),
    );
    expect((await repoA.session().get(profile))?.fields.count).toBe(10);
  });

  it('(i) makes exactly one profile from 8 concurrent serializable find-or-create transactions', async () => {
    const repos = [repoA, repoB];
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (repos[i % 2] as Repository).transaction(
          async (tx) => {
            const root = await tx.root();
            const [found] = await tx.neighbors(root, { type: 'UserProfile' });
            await sleep(Math.random() * 5);
            if (found) return found.id;
            const p = tx.create('UserProfile', {});
            tx.connect(root, p);
            return p.id;
          },
          { root: USER, mode: 'serializable' },
        ),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    const s = repoA.session({ root: USER });
    expect(await s.neighbors(await s.root(), { type: 'UserProfile' })).toHaveLength(1);
  });

  it('(j) gives retries_exhausted when retries run out, writes nothing, and commits later', async () => {
    const inner = await db.storage();
    let failures = 100;
    const flaky = withApply(inner, async (writeSet) => {
      if (failures-- > 0) throw new StorageError('injected: database is busy', { retryable: true });
      return inner.apply(writeSet);
    });
    const { openRepository } = await import('../../src/index.ts');
    const repo = await openRepository({ storage: flaky, retry: { retries: 3, minDelayMs: 0, maxDelayMs: 1 } });
    const s = repo.session({ root: USER });
    const root = await s.root();
    const p = s.create('UserProfile', {});
    s.connect(root, p);
    const err = await s.commit().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'retries_exhausted' });
    expect(failures).toBe(96);
    expect(await repoA.session().get(p.id)).toBeUndefined();

    failures = 0;
    await s.commit();
    expect(await repoA.session().get(p.id)).toMatchObject({ type: 'UserProfile', version: 1 });
    expect(((await repoA.session().get(root.id)) as NodeAnchor).edgeIds).toHaveLength(1);
  });
});
