import type { NewAnchor, WriteSet } from '../../src/core/write-set.ts';

let seq = 0;

/**
 * A write set for storage-level tests: empty but for `parts`, by writer `w1` unless told, with
 * a commit id of its own (storage applies a commit id once: reuse one only to test that).
 */
export const writeSet = (parts: Partial<WriteSet>): WriteSet => ({
  writer: 'w1',
  commitId: `c${++seq}`,
  at: 1_700_000_000_000 + seq,
  journal: [],
  endpoints: [],
  checks: [],
  updates: [],
  deletes: [],
  inserts: [],
  ...parts,
});

export const newNode = (id: string, fields = {}): NewAnchor => ({ kind: 'node', id, type: 'T', root: 'r', fields });
