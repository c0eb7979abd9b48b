import { z } from 'zod';

/** A version step one acknowledged write made on one anchor: from `base` (0: created) to `committed`. */
export const versionStepSchema = z
  .object({ id: z.string(), base: z.number().int().min(0), committed: z.number().int() })
  .strict();

export const createdAnchorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('node'), id: z.string(), type: z.string() }).strict(),
  z.object({ kind: z.literal('edge'), id: z.string(), type: z.string(), source: z.string(), target: z.string() }).strict(),
]);

/** A counter increment a write made: field `field` of anchor `id` grew by `by`. */
export const incrementSchema = z.object({ id: z.string(), field: z.string(), by: z.number() }).strict();

/**
 * One acknowledged operation, one JSON line: what the database said was written (an
 * operation that failed has no line; a `put()` that succeeded before it does). Harnesses
 * append these; the checker compares them with the final database.
 */
export const historyEntrySchema = z
  .object({
    /** The process (or worker) that did it. */
    process: z.string(),
    /** One session or transaction; an operation with several writes (put, then commit) repeats it. */
    session: z.string(),
    operation: z.string(),
    /** The user root it acted for. */
    user: z.string(),
    /** The write's commit id, when its intent was recorded before it (crash harnesses: see commit-intent). */
    commitId: z.string().optional(),
    /** Milliseconds since the epoch, when the write was acknowledged. */
    at: z.number(),
    anchors: z.array(versionStepSchema).default([]),
    created: z.array(createdAnchorSchema).default([]),
    /** Anchors deleted; a node's edges go with it without being listed. */
    deleted: z.array(z.string()).default([]),
    /** Counter increments this write made: field `field` of anchor `id` grew by `by`. */
    increments: z.array(incrementSchema).default([]),
  })
  .strict();

export type HistoryEntry = z.output<typeof historyEntrySchema>;
export type HistoryEntryInput = z.input<typeof historyEntrySchema>;
export type VersionStep = z.output<typeof versionStepSchema>;
export type CreatedAnchor = z.output<typeof createdAnchorSchema>;
export type Increment = z.output<typeof incrementSchema>;
