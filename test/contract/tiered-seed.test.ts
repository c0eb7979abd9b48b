import { beforeEach, describe, expect, it } from 'vitest';
import { TieredMemory } from '../../src/adapters/tiered/index.ts';
import type { NodeAnchor, Repository } from '../../src/index.ts';
import { backends } from '../support/backends.ts';
import { useDatabase } from '../support/use-database.ts';

// The seed's scenario (Jac Builder with AI chat): a long request holds stale copies of the
// user's root while other requests commit edges to it; its put() and sync() must lose none.
const USER = 'aitest';

describe.each(backends)('the tiered memory on $name, in the seed scenario', (backend) => {
  const fx = useDatabase(backend);
  let chatRepo: Repository;
  let otherRepo: Repository;
  let profileId: string;

  /** What a `me` request sees: the user's profiles, by id. */
  const me = async () => {
    const mem = new TieredMemory(otherRepo, { root: USER });
    const profiles = await mem.neighbors(await mem.getRoot(), { type: 'UserProfile' });
    await mem.close();
    return profiles.map((p) => p.id);
  };
  const rootEdges = async () => ((await otherRepo.session().get(USER)) as NodeAnchor).edgeIds;

  beforeEach(async () => {
    chatRepo = await fx.db.repo({ writerId: 'chat' });
    otherRepo = await fx.db.repo({ writerId: 'other' });
    const setup = new TieredMemory(otherRepo, { root: USER });
    const profile = setup.create('UserProfile', { display_name: 'aitest_8f8e7f' });
    setup.connect(await setup.getRoot(), profile);
    await setup.close();
    profileId = profile.id;
  });

  it('keeps the profile edge when a stale request sync()s after another committed an edge', async () => {
    // ai_chat loads Root → UserProfile and holds them across awaits.
    const chat = new TieredMemory(chatRepo, { root: USER });
    const chatRoot = await chat.getRoot();
    expect((await chat.neighbors(chatRoot)).map((n) => n.id)).toEqual([profileId]);

    // A concurrent request creates a project under the root and commits.
    const other = new TieredMemory(otherRepo, { root: USER });
    const project = other.create('Project', { name: 'test' });
    other.connect(await other.getRoot(), project);
    await other.sync();

    // ai_chat: `root ++> message` (Jac saves the edge: put), `save(root)` (put), then commit (sync).
    const message = chat.create('JacCoderMessage', { text: 'explain this project' });
    const edge = chat.connect(chatRoot, message);
    await chat.put(edge);
    chatRoot.fields.last_chat = 1;
    await chat.put(chatRoot);
    await chat.sync();

    expect(await me()).toEqual([profileId]);
    const edges = await rootEdges();
    expect(edges).toHaveLength(3);
    const check = new TieredMemory(otherRepo, { root: USER });
    const names = (await check.neighbors(await check.getRoot())).map((n) => n.type);
    expect(names).toEqual(['UserProfile', 'Project', 'JacCoderMessage']);
  });

  it("keeps another request's edge when a stale request put()s the root it loaded before", async () => {
    const chat = new TieredMemory(chatRepo, { root: USER });
    const chatRoot = await chat.getRoot();
    for (let round = 0; round < 5; round++) {
      const other = new TieredMemory(otherRepo, { root: USER });
      other.connect(await other.getRoot(), other.create('Version', { round }));
      await other.close();
      chatRoot.fields.round = round;
      await chat.put(chatRoot);
    }
    expect(await me()).toEqual([profileId]);
    expect(await rootEdges()).toHaveLength(6);
    expect(((await otherRepo.session().get(USER)) as NodeAnchor).fields).toEqual({ round: 4 });
  });

  it('keeps every edge when many stale requests write the root through put(), putMany() and sync() at once', async () => {
    const requests = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const mem = new TieredMemory(i % 2 ? chatRepo : otherRepo, { root: USER });
        return { mem, root: await mem.getRoot(), i };
      }),
    );
    await Promise.all(
      requests.map(async ({ mem, root, i }) => {
        const node = mem.create('Request', { i });
        const edge = mem.connect(root, node);
        root.fields[`seen_${i}`] = true;
        if (i % 3 === 0) await mem.put(root);
        else if (i % 3 === 1) await mem.putMany([edge, root]);
        await mem.close();
      }),
    );
    expect(await me()).toEqual([profileId]);
    expect(await rootEdges()).toHaveLength(9);
    const fields = ((await otherRepo.session().get(USER)) as NodeAnchor).fields;
    expect(Object.keys(fields).sort()).toEqual(requests.map(({ i }) => `seen_${i}`).sort());
  });

  it('keeps the edges others added when a stale request removes its own node', async () => {
    const chat = new TieredMemory(chatRepo, { root: USER });
    const chatRoot = await chat.getRoot();
    const draft = chat.create('Draft', {});
    await chat.put(chat.connect(chatRoot, draft));
    const other = new TieredMemory(otherRepo, { root: USER });
    other.connect(await other.getRoot(), other.create('Project', {}));
    await other.close();
    await chat.remove(draft.id);
    await chat.close();
    expect(await me()).toEqual([profileId]);
    const check = new TieredMemory(otherRepo, { root: USER });
    expect((await check.neighbors(await check.getRoot())).map((n) => n.type)).toEqual(['UserProfile', 'Project']);
    expect(await check.findById(draft.id)).toBeUndefined();
  });
});
