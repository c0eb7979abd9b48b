import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import type { EdgeAnchor } from '../../repository/anchors.ts';
import { parseInput, typeNameSchema } from '../../repository/validation.ts';
import { type Model, modelSchema } from './model.ts';

/**
 * A typed relation: edges of type `name` from instances of `from` to instances of `to`, with
 * edge fields described by `schema` (empty when not given). One `from` may link many `to`s
 * (has-many); read it backwards with `sources` (belongs-to).
 */
export interface Relation<
  N extends string = string,
  From extends Model = Model,
  To extends Model = Model,
  S extends z.ZodObject = z.ZodObject,
> {
  readonly kind: 'relation';
  readonly name: N;
  readonly from: From;
  readonly to: To;
  readonly schema: S;
}

/** A stored or staged edge of a relation, with typed fields. */
export type Link<R extends Relation> = Omit<EdgeAnchor, 'type' | 'fields'> & {
  readonly type: R['name'];
  readonly fields: z.output<R['schema']>;
};

/** What `link` takes as edge fields. */
export type LinkInput<R extends Relation> = z.input<R['schema']>;

const noFields = z.object({});

/** Defines a relation from one model to another; `name` is the edge type. */
export function defineRelation<
  const N extends string,
  From extends Model,
  To extends Model,
  S extends z.ZodObject = typeof noFields,
>(name: N, from: From, to: To, schema?: S): Relation<N, From, To, S> {
  parseInput(typeNameSchema, name, 'name');
  parseInput(modelSchema, from, 'from');
  parseInput(modelSchema, to, 'to');
  if (schema !== undefined && !(schema instanceof z.ZodObject)) {
    throw new ValidationError('schema', 'must be a zod object schema (z.object({ … }))');
  }
  return Object.freeze({ kind: 'relation', name, from, to, schema: (schema ?? noFields) as S });
}

/** Refuses anything that is not a relation from `defineRelation`. */
export const relationSchema = z.custom<Relation>(
  (v) =>
    typeof v === 'object' && v !== null && (v as Relation).kind === 'relation' && (v as Relation).schema instanceof z.ZodObject,
  'must be a relation from defineRelation',
);

/** `relation`, after refusing anything that is not a relation (a `ValidationError` at `path`). */
export function checkRelation<R extends Relation>(relation: R, path = 'relation'): R {
  parseInput(relationSchema, relation, path);
  return relation;
}
