import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/harness/history/check-history.ts';
import { countAnomalies } from '../../src/harness/history/check-report.ts';
import { type CheckableStore, readSnapshot } from '../../src/harness/history/graph-snapshot.ts';
import { HistoryRecorder } from '../../src/harness/history/history-recorder.ts';
import { readHistory } from '../../src/harness/history/read-history.ts';
import { NaiveCheckSource } from '../../src/harness/naive/naive-check-source.ts';
import { NaiveGraphStore } from '../../src/harness/naive/naive-graph-store.ts';
import { TrackedStore } from '../../src/harness/race/tracked-store.ts';
import { MESSAGE } from '../../src/harness/workload/builder-types.ts';
import type { GraphStore } from '../../src/harness/workload/graph-store.ts';
import { findOrCreateProfile } from '../../src/harness/workload/profile-ops.ts';
import { createProject, getOwned } from '../../src/harness/workload/project-ops.ts';
import { openRepository } from '../../src/index.ts';
import { tempDir } from '../support/backends.ts';

const dir = tempDir('anchorage-naive-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Two chats hold one project and each adds a message; then a reader holds another project
 * while a session deletes that one. Every write is recorded as the race records it.
 */
async function interleave(store: GraphStore, historyPath: string): Promise<void> {
  const recorder = new HistoryRecorder(historyPath, { process: 'p0' });
  let n = 0;
  const tracked = (operation: string) => new TrackedStore(store, { operation, session: `s${n++}`, user: 'u' });
  const flush = (...stores: TrackedStore[]) => {
    for (const t of stores) for (const ack of t.acks) recorder.append(ack);
  };
  const setup = tracked('setup');
  await findOrCreateProfile(setup, 'u', 'ada');
  const project = await createProject(setup, 'u', { name: 'chatted' });
  const doomed = await createProject(setup, 'u', { name: 'deleted' });
  flush(setup);

  const [ta, tb] = [tracked('chat'), tracked('chat')];
  const [a, b] = [ta.session({ root: 'u' }), tb.session({ root: 'u' })];
  const pa = await getOwned(a, 'u', project!.id, 'Project');
  const pb = await getOwned(b, 'u', project!.id, 'Project');
  a.connect(pa!, a.create(MESSAGE, { text: 'from a' }));
  b.connect(pb!, b.create(MESSAGE, { text: 'from b' }));
  await a.commit();
  await b.commit();
  flush(ta, tb);

  const [tr, td] = [tracked('git_status'), tracked('delete_project')];
  const [reader, deleter] = [tr.session({ root: 'u' }), td.session({ root: 'u' })];
  await getOwned(reader, 'u', doomed!.id, 'Project');
  deleter.destroy((await getOwned(deleter, 'u', doomed!.id, 'Project'))!);
  await deleter.commit();
  await reader.commit();
  flush(tr, td);
  recorder.close();
}

async function check(source: CheckableStore, historyPath: string) {
  const report = checkHistory(readHistory([historyPath]).entries, await readSnapshot(source), { uniquePerRoot: ['UserProfile'] });
  return { report, counts: countAnomalies(report) };
}

describe('the checker on the naive whole-row writer', () => {
  it('finds the edge a stale whole-row write erased and the project a stale copy brought back', async () => {
    const store = new NaiveGraphStore(join(dir, 'naive.db'));
    const history = join(dir, 'naive.jsonl');
    await interleave(store, history);
    const { report, counts } = await check(new NaiveCheckSource(store.blobs), history);
    await store.close();
    expect(report.lost.filter((l) => l.kind === 'edge' && l.operation === 'chat')).toHaveLength(1);
    expect(report.zombies).toHaveLength(1);
    expect(counts.versionChains).toBeGreaterThan(0);
  });

  it('finds nothing when anchorage runs the same interleaving', async () => {
    const repo = await openRepository({ url: `sqlite:${join(dir, 'anchorage.db')}`, durability: 'normal' });
    const history = join(dir, 'anchorage.jsonl');
    await interleave(repo, history);
    const { counts } = await check(repo.storage, history);
    await repo.close();
    expect(counts).toEqual({ lost: 0, zombies: 0, dangling: 0, duplicates: 0, counterDrift: 0, versionChains: 0, anomalies: 0 });
  });
});
