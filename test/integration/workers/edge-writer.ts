// A child process for the multi-process test: many short sessions adding edges to one root,
// plus one long-lived stale session that put()s the root now and then.
import { setTimeout as sleep } from 'node:timers/promises';
import { type NodeAnchor, openRepository } from '../../../src/index.ts';

const [url, name, sessionsArg] = process.argv.slice(2) as [string, string, string];
const sessions = Number(sessionsArg);
const ROOT = 'hot-root';

let conflicts = 0;
let retries = 0;
const repo = await openRepository({
  url,
  durability: 'normal',
  observers: [{ onConflict: () => conflicts++, onRetry: () => retries++ }],
});
const acknowledged: Array<{ edge: string; node: string }> = [];

const stale = repo.session({ root: ROOT });
const staleRoot = await stale.root();

for (let i = 0; i < sessions; i++) {
  const s = repo.session({ root: ROOT });
  const root = await s.root();
  await sleep(Math.random() * 4);
  const child = s.create('Child', { by: name, i });
  const edge = s.connect(root, child);
  await s.commit();
  acknowledged.push({ edge: edge.id, node: child.id });

  if (i % 10 === 5) {
    // The seed's hazard: a copy of the root loaded long ago, written back with put().
    const note = stale.create('Note', { by: name, i });
    const e = stale.connect(staleRoot as NodeAnchor, note);
    staleRoot.fields[`seen_${name}`] = i;
    await stale.put(staleRoot);
    acknowledged.push({ edge: e.id, node: note.id });
  }
}
await repo.close();
process.send?.({ name, acknowledged, conflicts, retries });
