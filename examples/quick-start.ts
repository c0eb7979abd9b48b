// The README's quick start, runnable: `npx tsx examples/quick-start.ts [sqlite:<path>]`.
import { openRepository } from '../src/index.ts';

const url = process.argv[2] ?? 'sqlite:./data/app.db';
if (url.startsWith('sqlite:./data/')) await import('node:fs').then((fs) => fs.mkdirSync('./data', { recursive: true }));

const repo = await openRepository({ url }); // created and migrated on open
const s = repo.session({ root: 'user-42' }); // acts for this user's root
const root = await s.root(); // the root node; created on first use
const p = s.create('Profile', { name: 'ada' }); // staged node
s.connect(root, p); // staged edge root → p
p.fields.name = 'Ada'; // plain mutation, diffed at commit
await s.commit(); // CAS + rebase + retry; throws ConflictError

const again = await repo.session().get(p.id); // NodeAnchor | EdgeAnchor | undefined

// Read-dependent logic (find-or-create) runs in a serializable transaction, replayed on conflict:
const profile = await repo.transaction(
  async (tx) => {
    const r = await tx.root();
    const [found] = await tx.neighbors(r, { type: 'Profile' });
    if (found) return found.id;
    const created = tx.create('Profile', {});
    tx.connect(r, created);
    return created.id;
  },
  { root: 'user-42', mode: 'serializable' },
);

console.log(JSON.stringify({ name: again?.fields.name, sameProfile: profile === p.id, version: again?.version }));
await repo.close();
