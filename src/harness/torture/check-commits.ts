import type { CommitIntent, CommitLogLine } from '../history/commit-intent.ts';
import type { GraphSnapshot } from '../history/graph-snapshot.ts';
import type { HistoryEntry, Increment } from '../history/history-entry.ts';

/**
 * What the database shows of one commit: `present` (all of it), `absent` (none of it),
 * `partial` (some of it: a broken commit), or `undetermined` (nothing it did can be told apart
 * from what others did: a counter increment alone, checked in aggregate by the counter check).
 */
export type CommitFate = 'present' | 'absent' | 'partial' | 'undetermined';

/** Commit ids by what became of them, and the anomalies among them. */
export interface CommitReport {
  readonly acknowledged: number;
  /** Writes that failed with an error (a conflict): nothing of them may be stored. */
  readonly refused: number;
  /** Intents with neither acknowledgement nor refusal: their process was killed in between. */
  readonly cutOff: number;
  readonly cutOffPresent: number;
  readonly cutOffAbsent: number;
  /** Cut-off commits whose only effect is a counter increment (one row: whole by construction). */
  readonly cutOffCounters: number;
  /** Anomalies: cut-off commits partly stored. */
  readonly partial: readonly string[];
  /** Anomalies: acknowledged commits not wholly stored. */
  readonly acknowledgedIncomplete: readonly string[];
  /** Anomalies: refused commits of which something is stored. */
  readonly refusedApplied: readonly string[];
  /** What cut-off commits may have done, for the history checker. */
  readonly unacknowledged: { readonly deleted: string[]; readonly increments: Increment[] };
}

/** Which commits list each id among the anchors they delete. */
function deletersOf(intents: readonly CommitIntent[]): Map<string, Set<string>> {
  const deleters = new Map<string, Set<string>>();
  for (const intent of intents) {
    for (const id of intent.deleted) deleters.set(id, (deleters.get(id) ?? new Set()).add(intent.commitId));
  }
  return deleters;
}

/**
 * Reads one commit's effects in the database. Evidence it was applied: an anchor it created is
 * there, or another commit deleted one (it loaded it, so it was stored), or an anchor it deleted
 * is gone that no other commit deleted. Evidence it was not: an anchor it created is missing
 * (unless an endpoint of that edge was deleted: the edge went with it), or an anchor it deleted
 * is there (a deleted anchor never comes back).
 */
export function commitFate(
  intent: CommitIntent,
  db: GraphSnapshot,
  deleters: ReadonlyMap<string, ReadonlySet<string>>,
): CommitFate {
  const byOther = (id: string) => [...(deleters.get(id) ?? [])].some((c) => c !== intent.commitId);
  let applied = false;
  let missing = false;
  for (const a of intent.created) {
    if (db.rows.has(a.id) || byOther(a.id)) applied = true;
    else if (!(a.kind === 'edge' && (deleters.has(a.source) || deleters.has(a.target)))) missing = true;
  }
  for (const id of intent.deleted) {
    if (db.rows.has(id)) missing = true;
    else if (!byOther(id)) applied = true;
  }
  if (applied) return missing ? 'partial' : 'present';
  return missing ? 'absent' : 'undetermined';
}

/**
 * Checks every recorded commit against the final database: acknowledged ones wholly present,
 * refused ones wholly absent, cut-off ones (killed between intent and outcome) all or nothing.
 */
export function checkCommits(log: readonly CommitLogLine[], acks: readonly HistoryEntry[], db: GraphSnapshot): CommitReport {
  const intents = log.filter((l): l is CommitIntent => l.kind === 'intent');
  const refusedIds = new Set(log.filter((l) => l.kind === 'refused').map((l) => l.commitId));
  const ackedIds = new Set(acks.map((a) => a.commitId).filter((id) => id !== undefined));
  const deleters = deletersOf(intents);
  const out = {
    acknowledged: 0,
    refused: 0,
    cutOff: 0,
    cutOffPresent: 0,
    cutOffAbsent: 0,
    cutOffCounters: 0,
    partial: [] as string[],
    acknowledgedIncomplete: [] as string[],
    refusedApplied: [] as string[],
    unacknowledged: { deleted: [] as string[], increments: [] as Increment[] },
  };
  for (const intent of intents) {
    const fate = commitFate(intent, db, deleters);
    if (ackedIds.has(intent.commitId)) {
      out.acknowledged++;
      if (fate === 'absent' || fate === 'partial') out.acknowledgedIncomplete.push(intent.commitId);
    } else if (refusedIds.has(intent.commitId)) {
      out.refused++;
      if (fate === 'present' || fate === 'partial') out.refusedApplied.push(intent.commitId);
    } else {
      out.cutOff++;
      out.unacknowledged.deleted.push(...intent.deleted);
      out.unacknowledged.increments.push(...intent.increments);
      if (fate === 'partial') out.partial.push(intent.commitId);
      else if (fate === 'present') out.cutOffPresent++;
      else if (fate === 'absent') out.cutOffAbsent++;
      else out.cutOffCounters++;
    }
  }
  return out;
}
