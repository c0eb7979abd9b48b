import { z } from 'zod';
import type { Anchor } from '../../repository/anchors.ts';
import { idSchema } from '../../repository/validation.ts';

/** One id or an array of ids, as Jac's `find(ids)` takes them. */
export const idsSchema = z.union([idSchema, z.array(idSchema)]);

/** `find`'s optional filter: a predicate over anchors. */
export const filterSchema = z
  .custom<(anchor: Anchor) => boolean>((v) => typeof v === 'function', 'must be a function (anchor) => boolean')
  .optional();

const anchorLike = z.custom<Anchor>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' && 'kind' in v,
  'must be an anchor or an anchor id',
);

/** What `remove` takes: an id, an anchor, or an array of either. */
export const removeTargetsSchema = z.union([idSchema, anchorLike, z.array(z.union([idSchema, anchorLike]))]);
export type RemoveTargets = string | Anchor | ReadonlyArray<string | Anchor>;
