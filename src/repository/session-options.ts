import { z } from 'zod';
import type { Anchor } from './anchors.ts';
import { fieldsSchema, idSchema, typeNameSchema } from './validation.ts';

export const connectOptionsSchema = z.object({ type: typeNameSchema.optional(), fields: fieldsSchema.optional() }).strict();
export type ConnectOptions = z.input<typeof connectOptionsSchema>;

export const neighborsOptionsSchema = z
  .object({
    direction: z.enum(['out', 'in', 'both']).default('out'),
    type: typeNameSchema.optional(),
    edgeType: typeNameSchema.optional(),
  })
  .strict();
export type NeighborsOptions = z.input<typeof neighborsOptionsSchema>;

export const listOptionsSchema = z
  .object({ after: idSchema.optional(), limit: z.number().int().min(1).max(1000).default(100) })
  .strict();
/** `Session.list` options: `after` an id (keyset paging), `limit` 1–1000 (default 100). */
export type ListOptions = z.input<typeof listOptionsSchema>;

/** One page of `Session.list`: the anchors, and the id to pass as `after` for the next page (undefined: no more). */
export interface ListPage {
  readonly anchors: readonly Anchor[];
  readonly next: string | undefined;
}

/** `Session.putMany` takes an array; its members are checked one by one as anchors of the session. */
export const anchorListSchema = z.array(z.unknown());
