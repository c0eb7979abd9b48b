/**
 * `anchorage/orm`: typed models (zod schemas) and relations over sessions, with validation on
 * create, update and commit, listing by type with keyset paging, and replayed transactions.
 */
export { defineModel, type Instance, type Model, type ModelFields, type ModelInput } from './model.ts';
export { type ModelPage, ModelSession } from './model-session.ts';
export { Orm } from './orm.ts';
export { defineRelation, type Link, type LinkInput, type Relation } from './relation.ts';
