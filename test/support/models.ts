import { z } from 'zod';
import { defineModel, defineRelation } from '../../src/adapters/orm/index.ts';

/** Models the ORM suites share: the seed's user root → profile → projects. */
export const Root = defineModel('Root', z.object({}));
export const Profile = defineModel(
  'Profile',
  z.object({
    displayName: z.string().min(1),
    tags: z.array(z.string()).default([]),
    age: z.number().int().nonnegative().optional(),
  }),
);
export const Project = defineModel('Project', z.strictObject({ name: z.string(), stars: z.number().int().default(0) }));
export const hasProfile = defineRelation('hasProfile', Root, Profile);
export const owns = defineRelation('owns', Profile, Project, z.object({ role: z.enum(['owner', 'editor']) }));
