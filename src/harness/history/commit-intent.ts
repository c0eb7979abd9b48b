import { z } from 'zod';
import { createdAnchorSchema, incrementSchema } from './history-entry.ts';

/**
 * What a write is about to do, recorded (and fsynced) before it starts, under a commit id that
 * its acknowledgement repeats. A crash between the two leaves an intent without an
 * acknowledgement: a cut-off commit, which must be in the database wholly or not at all.
 */
export const commitIntentSchema = z
  .object({
    kind: z.literal('intent'),
    commitId: z.string(),
    process: z.string(),
    operation: z.string(),
    user: z.string(),
    /** Anchors the write inserts (ids are chosen before the write, so absence is checkable). */
    created: z.array(createdAnchorSchema),
    /** Anchors the write deletes; a node's edges go with it without being listed. */
    deleted: z.array(z.string()),
    increments: z.array(incrementSchema),
  })
  .strict();

/** The write of an intent failed with an error: nothing of it may be in the database. */
export const commitRefusedSchema = z.object({ kind: z.literal('refused'), commitId: z.string() }).strict();

/** One line of an intent log. */
export const commitLogLineSchema = z.discriminatedUnion('kind', [commitIntentSchema, commitRefusedSchema]);

export type CommitIntent = z.output<typeof commitIntentSchema>;
export type CommitLogLine = z.output<typeof commitLogLineSchema>;
/** An intent as the tracked session knows it; the log adds kind, commit id and process. */
export type IntentInput = Omit<CommitIntent, 'kind' | 'commitId' | 'process'>;
