import { describe, expect, it } from 'vitest';
import type { CommitIntent } from '../../src/harness/history/commit-intent.ts';
import type { GraphSnapshot, StoredRow } from '../../src/harness/history/graph-snapshot.ts';
import { type HistoryEntry, historyEntrySchema } from '../../src/harness/history/history-entry.ts';
import { checkCommits } from '../../src/harness/torture/check-commits.ts';

const node = (id: string): StoredRow => ({ kind: 'node', id, type: 'Message', root: 'u', fields: {}, version: 1, vv: {} });
const db = (...ids: string[]): GraphSnapshot => ({ rows: new Map(ids.map((id) => [id, node(id)])), edgeLists: new Map() });
const intent = (commitId: string, effects: Partial<Pick<CommitIntent, 'created' | 'deleted'>>): CommitIntent => ({
  kind: 'intent',
  commitId,
  process: 'p0',
  operation: 'op',
  user: 'u',
  created: [],
  deleted: [],
  increments: [],
  ...effects,
});
const ack = (commitId: string): HistoryEntry =>
  historyEntrySchema.parse({ process: 'p0', session: 's', operation: 'op', user: 'u', at: 0, commitId });
/** A chat's commit: message `m`, and edge `e` from project `p` to it. */
const chat = (commitId: string) =>
  intent(commitId, {
    created: [
      { kind: 'node', id: 'm', type: 'Message' },
      { kind: 'edge', id: 'e', type: 'Edge', source: 'p', target: 'm' },
    ],
  });

describe('the commit checker', () => {
  it('counts a cut-off commit wholly stored as present and one wholly missing as absent', () => {
    expect(checkCommits([chat('c1')], [], db('p', 'm', 'e'))).toMatchObject({ cutOff: 1, cutOffPresent: 1, partial: [] });
    expect(checkCommits([chat('c1')], [], db('p'))).toMatchObject({ cutOff: 1, cutOffAbsent: 1, partial: [] });
  });

  it('reports a cut-off commit with its message stored but not its edge as partial', () => {
    expect(checkCommits([chat('c1')], [], db('p', 'm')).partial).toEqual(['c1']);
  });

  it('does not hold an edge gone with a node another commit deleted against the commit that made it', () => {
    const report = checkCommits([chat('c1'), intent('c2', { deleted: ['p'] })], [ack('c2')], db('m'));
    expect(report).toMatchObject({ cutOffPresent: 1, partial: [], acknowledgedIncomplete: [] });
  });

  it('takes an anchor another commit deleted as proof it was stored, so its commit is not absent', () => {
    const report = checkCommits([chat('c1'), intent('c2', { deleted: ['m'] })], [ack('c2')], db('p'));
    expect(report).toMatchObject({ cutOffPresent: 1, cutOffAbsent: 0 });
  });

  it('reports an acknowledged delete whose anchor is back, and a refused commit that was stored', () => {
    const log = [intent('c1', { deleted: ['m'] }), chat('c2'), { kind: 'refused' as const, commitId: 'c2' }];
    const report = checkCommits(log, [ack('c1')], db('p', 'm', 'e'));
    expect(report.acknowledgedIncomplete).toEqual(['c1']);
    expect(report.refusedApplied).toEqual(['c2']);
  });
});
