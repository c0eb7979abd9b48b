import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/harness/history/check-history.ts';
import { countAnomalies } from '../../src/harness/history/check-report.ts';
import type { GraphSnapshot, StoredRow } from '../../src/harness/history/graph-snapshot.ts';
import { type HistoryEntry, type HistoryEntryInput, historyEntrySchema } from '../../src/harness/history/history-entry.ts';

const entry = (e: Partial<HistoryEntryInput>): HistoryEntry =>
  historyEntrySchema.parse({ process: 'p0', session: 's', operation: 'op', user: 'u', at: 0, ...e });

const node = (id: string, type = 'Thing', fields = {}, version = 1): StoredRow => ({
  kind: 'node',
  id,
  type,
  root: 'u',
  fields,
  version,
  vv: {},
});
const edge = (id: string, source: string, target: string): StoredRow => ({
  kind: 'edge',
  id,
  type: 'Edge',
  root: 'u',
  fields: {},
  source,
  target,
  version: 1,
  vv: {},
});

function snapshot(rows: StoredRow[], lists: Record<string, string[]>): GraphSnapshot {
  const edgeLists = new Map<string, string[]>();
  for (const r of rows) if (r.kind === 'node') edgeLists.set(r.id, lists[r.id] ?? []);
  return { rows: new Map(rows.map((r) => [r.id, r])), edgeLists };
}

/** A root `u` with a profile `p` joined by edge `e`, as acknowledged by one `me`. */
const created = entry({
  operation: 'me',
  created: [
    { kind: 'node', id: 'p', type: 'UserProfile' },
    { kind: 'edge', id: 'e', type: 'Edge', source: 'u', target: 'p' },
  ],
  anchors: [
    { id: 'p', base: 0, committed: 1 },
    { id: 'u', base: 1, committed: 2 },
  ],
});
const whole = () => [node('u', 'Root', {}, 2), node('p', 'UserProfile'), edge('e', 'u', 'p')];
const wholeLists = { u: ['e'], p: ['e'] };

describe('the history checker', () => {
  it('finds nothing when the database holds exactly what was acknowledged', () => {
    const report = checkHistory([created], snapshot(whole(), wholeLists), { uniquePerRoot: ['UserProfile'] });
    expect(countAnomalies(report).anomalies).toBe(0);
  });

  it('reports an acknowledged edge whose row is gone as lost', () => {
    const report = checkHistory([created], snapshot([node('u', 'Root', {}, 2), node('p', 'UserProfile')], { u: [], p: [] }));
    expect(report.lost).toEqual([{ id: 'e', kind: 'edge', reason: 'missing', operation: 'me', process: 'p0' }]);
  });

  it('reports an acknowledged edge that an endpoint no longer lists as lost (the seed: root row rewritten)', () => {
    const report = checkHistory([created], snapshot(whole(), { u: [], p: ['e'] }));
    expect(report.lost.map((l) => [l.id, l.reason])).toEqual([['e', 'unlisted']]);
    expect(report.dangling).toEqual([{ id: 'e', node: 'u', reason: 'unlisted' }]);
  });

  it('does not expect edges of a deleted endpoint, and reports the deleted node when it is back as a zombie', () => {
    const del = entry({ operation: 'delete', deleted: ['p'] });
    const gone = checkHistory([created, del], snapshot([node('u', 'Root', {}, 3)], { u: [] }));
    expect(countAnomalies(gone).anomalies).toBe(0);
    const back = checkHistory([created, del], snapshot([node('u', 'Root', {}, 3), node('p', 'UserProfile')], { u: [] }));
    expect(back.zombies).toEqual(['p']);
  });

  it('reports edge ids that do not resolve and edges whose endpoint is missing as dangling', () => {
    const rows = [node('u', 'Root'), node('a'), edge('x', 'u', 'gone'), node('b')];
    const report = checkHistory([], snapshot(rows, { u: ['x', 'nothing', 'a'], b: ['x'] }));
    expect(report.dangling).toEqual(
      expect.arrayContaining([
        { id: 'nothing', node: 'u', reason: 'unresolved' },
        { id: 'a', node: 'u', reason: 'not_an_edge' },
        { id: 'x', node: 'b', reason: 'not_incident' },
        { id: 'x', node: 'gone', reason: 'endpoint_missing' },
      ]),
    );
    expect(report.dangling).toHaveLength(4);
  });

  it('reports two profiles under one root as a duplicate', () => {
    const rows = [...whole(), node('p2', 'UserProfile')];
    const report = checkHistory([created], snapshot(rows, wholeLists), { uniquePerRoot: ['UserProfile'] });
    expect(report.duplicates).toEqual([{ root: 'u', type: 'UserProfile', ids: ['p', 'p2'] }]);
    expect(countAnomalies(report).duplicates).toBe(1);
  });

  it('reports a counter that differs from the sum of its acknowledged increments as drift', () => {
    const touches = [1, 2, 3].map(() => entry({ operation: 'touch', increments: [{ id: 'p', field: 'touches', by: 1 }] }));
    const rows = [node('u', 'Root', {}, 2), node('p', 'UserProfile', { touches: 2 }), edge('e', 'u', 'p')];
    const report = checkHistory([created, ...touches], snapshot(rows, wholeLists));
    expect(report.counterDrift).toEqual([{ id: 'p', field: 'touches', expected: 3, actual: 2 }]);
    expect(countAnomalies(report).counterDrift).toBe(1);
  });

  it('reports two acknowledged writes of one version as a duplicate in the chain', () => {
    const a = entry({ operation: 'touch', anchors: [{ id: 'p', base: 1, committed: 2 }] });
    const b = entry({ operation: 'touch', process: 'p1', anchors: [{ id: 'p', base: 1, committed: 2 }] });
    const rows = [node('u', 'Root', {}, 2), node('p', 'UserProfile', {}, 2), edge('e', 'u', 'p')];
    const report = checkHistory([created, a, b], snapshot(rows, wholeLists));
    expect(report.versionChains).toEqual([
      { id: 'p', kind: 'duplicate', version: 2, detail: '2 acknowledged writes made version 2' },
    ]);
  });

  it('reports a stored version behind an acknowledged one, and a write that did not advance, as gaps', () => {
    const ahead = entry({ operation: 'touch', anchors: [{ id: 'p', base: 1, committed: 5 }] });
    const still = entry({ operation: 'touch', anchors: [{ id: 'u', base: 2, committed: 2 }] });
    const report = checkHistory([created, ahead, still], snapshot(whole(), wholeLists));
    expect(report.versionChains).toEqual(
      expect.arrayContaining([
        { id: 'p', kind: 'gap', version: 1, detail: 'stored version 1 is behind acknowledged 5' },
        { id: 'u', kind: 'gap', version: 2, detail: 'a write went from 2 to 2' },
      ]),
    );
  });

  describe('with complete chains (every row a write changed, one version per step)', () => {
    const touch = (base: number, process = 'p0') =>
      entry({ operation: 'touch', process, anchors: [{ id: 'p', base, committed: base + 1 }] });
    const stored = (pVersion: number) =>
      snapshot([node('u', 'Root', {}, 2), node('p', 'UserProfile', {}, pVersion), edge('e', 'u', 'p')], wholeLists);

    it('finds nothing when the steps join up to the stored version, whatever the first base (a root made outside the history)', () => {
      const report = checkHistory([created, touch(1), touch(2, 'p1'), touch(3)], stored(4), { completeChains: true });
      expect(report.versionChains).toEqual([]);
    });

    it('reports a version no acknowledged write made, between two that were', () => {
      const report = checkHistory([created, touch(1), touch(3)], stored(4), { completeChains: true });
      expect(report.versionChains).toEqual([
        { id: 'p', kind: 'gap', version: 3, detail: 'versions 3–3 were written by no acknowledged write' },
      ]);
      // Without the promise of complete chains, a skipped version may be an unrecorded cascade.
      expect(checkHistory([created, touch(1), touch(3)], stored(4)).versionChains).toEqual([]);
    });

    it('reports a stored version ahead of the last acknowledged one: a write nobody acknowledged', () => {
      const report = checkHistory([created, touch(1)], stored(5), { completeChains: true });
      expect(report.versionChains).toEqual([
        {
          id: 'p',
          kind: 'gap',
          version: 3,
          detail: 'stored version 5 is ahead of the last acknowledged 2: a write nobody acknowledged',
        },
      ]);
    });

    it('reports a duplicate once, not also as a gap', () => {
      const report = checkHistory([created, touch(1), touch(1, 'p1')], stored(2), { completeChains: true });
      expect(report.versionChains).toEqual([
        { id: 'p', kind: 'duplicate', version: 2, detail: '2 acknowledged writes made version 2' },
      ]);
    });
  });
});
