import { z } from 'zod';
import { fieldsSchema, typeNameSchema } from './validation.ts';

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
