import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/harness/history/check-history.ts';
import { readSnapshot } from '../../src/harness/history/graph-snapshot.ts';
import { historyEntrySchema } from '../../src/harness/history/history-entry.ts';
import { TrackedStore } from '../../src/harness/race/tracked-store.ts';
import { type NodeAnchor, openRepository } from '../../src/index.ts';

/**
 * The race's claim that anchorage's history has complete version chains: every row a write
 * changed is in its acknowledgement — here a delete's cascade bumps a node the deleting session
 * never loaded — so a version nobody acknowledged would show.
 */
describe('the history of anchorage writes, taken from their receipts', () => {
  it('has every version of every row, so leaving out one write shows as a gap', async () => {
    const repo = await openRepository({ url: 'memory:' });
    const tracked = new TrackedStore(repo, { operation: 'op', session: 's', user: 'u' });
    const a = tracked.session({ root: 'u' });
    const root = await a.root();
    const hub = a.create('Hub', {});
    const leaf = a.create('Leaf', {});
    a.connect(root, hub);
    a.connect(hub, leaf);
    await a.commit();
    // Another session deletes the leaf without loading the hub: the cascade bumps the hub unseen.
    const b = tracked.session({ root: 'u' });
    b.destroy((await b.get(leaf.id)) as NodeAnchor);
    await b.commit();
    const c = tracked.session({ root: 'u' });
    ((await c.get(hub.id)) as NodeAnchor).fields.n = 1;
    await c.commit();

    const entries = tracked.acks.map((ack) => historyEntrySchema.parse({ process: 'p0', ...ack }));
    const snapshot = await readSnapshot(repo.storage, { roots: new Set(['u']) });
    expect(snapshot.rows.get(hub.id)?.version).toBe(3);
    expect(entries[1]?.anchors).toEqual([{ id: hub.id, base: 1, committed: 2 }]);
    expect(checkHistory(entries, snapshot, { completeChains: true }).versionChains).toEqual([]);

    // The same database, with the delete's acknowledgement missing: the hub's version 2 is nobody's.
    const withoutDelete = entries.filter((_, i) => i !== 1).map((e) => ({ ...e, deleted: [] }));
    const chains = checkHistory(withoutDelete, snapshot, { completeChains: true }).versionChains;
    expect(chains).toEqual([
      { id: hub.id, kind: 'gap', version: 2, detail: 'versions 2–2 were written by no acknowledged write' },
    ]);
    await repo.close();
  });
});
