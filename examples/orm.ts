// The README's ORM example, runnable: `npx tsx examples/orm.ts`.
import { z } from 'zod';
import { defineModel, defineRelation, Orm } from '../src/adapters/orm/index.ts';
import { hasCode, openRepository } from '../src/index.ts';

const Root = defineModel('Root', z.object({}));
const Profile = defineModel('Profile', z.object({ displayName: z.string().min(1), tags: z.array(z.string()).default([]) }));
const Project = defineModel('Project', z.strictObject({ name: z.string() }));
const hasProfile = defineRelation('hasProfile', Root, Profile);
const owns = defineRelation('owns', Profile, Project, z.object({ role: z.enum(['owner', 'editor']) }));

const repo = await openRepository({ url: 'sqlite::memory:' });
const orm = new Orm(repo);

// Find-or-create in a serializable transaction, replayed on conflict: concurrent requests make one profile.
const meId = await orm.transaction(
  async (tx) => {
    const root = await tx.root(Root);
    const [found] = await tx.targets(hasProfile, root);
    if (found) return found.id;
    const created = tx.create(Profile, { displayName: 'Ada' });
    tx.link(hasProfile, root, created);
    return created.id;
  },
  { root: 'user-42', mode: 'serializable' },
);

const s = orm.session({ root: 'user-42' });
const profile = await s.getOrThrow(Profile, meId);
s.link(owns, profile, s.create(Project, { name: 'anchorage' }), { role: 'owner' });
s.update(profile, { tags: ['admin'] }); // validated now; only `tags` counts as changed
profile.fields.displayName = ''; // plain mutation is allowed…
const refused = await s.commit().catch((e: unknown) => e); // …and refused at commit, with nothing written
if (hasCode(refused, 'validation')) console.log(refused.context.path); // fields.displayName
profile.fields.displayName = 'Ada L.';
await s.commit();

const page = await orm.session({ root: 'user-42' }).list(Project, { limit: 10 });
console.log(JSON.stringify({ projects: page.items.map((p) => p.fields.name), next: page.next ?? null }));
await repo.close();
