// The README's drop-in adapter example, runnable: `npx tsx examples/tiered.ts`.
import { TieredMemory } from '../src/adapters/tiered/index.ts';
import { openRepository } from '../src/index.ts';

const repo = await openRepository({ url: 'sqlite::memory:' });

// One memory per request, acting for the user's root.
const chat = new TieredMemory(repo, { root: 'user-42' });
const root = await chat.getRoot(); // held across awaits: it goes stale

const other = new TieredMemory(repo, { root: 'user-42' }); // a concurrent request
other.connect(await other.getRoot(), other.create('Project', { name: 'test' }));
await other.close(); // sync(), then release

const message = chat.create('Message', { text: 'explain this project' });
await chat.put(chat.connect(root, message)); // Jac's save(edge): written now, as a delta
root.fields.lastChat = 1;
await chat.put(root); // save(root): only the changed field, merged onto the stored row
await chat.close();

const check = new TieredMemory(repo, { root: 'user-42' });
console.log(JSON.stringify((await check.neighbors(await check.getRoot())).map((n) => n.type))); // ["Project","Message"]
await repo.close();
