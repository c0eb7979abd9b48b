import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import type { NodeAnchor } from '../../repository/anchors.ts';
import { parseInput, typeNameSchema } from '../../repository/validation.ts';

/**
 * A typed model: node type `name`, fields described by a zod object schema. A plain frozen
 * value; define it once at module level and pass it to a `ModelSession`.
 */
export interface Model<N extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly kind: 'model';
  readonly name: N;
  readonly schema: S;
}

/** The fields a model's instances hold (the schema's output). */
export type ModelFields<M extends Model> = z.output<M['schema']>;
/** What `create` takes (the schema's input: defaults may be left out). */
export type ModelInput<M extends Model> = z.input<M['schema']>;

/**
 * A stored or staged node of a model: a `NodeAnchor` whose `fields` are typed. Mutate fields in
 * place, as on any anchor; the model session validates them with the schema at commit.
 */
export type Instance<M extends Model> = Omit<NodeAnchor, 'type' | 'fields'> & {
  readonly type: M['name'];
  readonly fields: ModelFields<M>;
};

/**
 * Defines a model. `name` is the node type (an identifier); `schema` a zod object schema whose
 * output is plain JSON. Use `z.strictObject` to refuse unknown fields at commit too.
 */
export function defineModel<const N extends string, S extends z.ZodObject>(name: N, schema: S): Model<N, S> {
  parseInput(typeNameSchema, name, 'name');
  if (!(schema instanceof z.ZodObject)) throw new ValidationError('schema', 'must be a zod object schema (z.object({ … }))');
  return Object.freeze({ kind: 'model', name, schema });
}

/** Refuses anything that is not a model from `defineModel` (JavaScript callers, wrong argument order). */
export const modelSchema = z.custom<Model>(
  (v) => typeof v === 'object' && v !== null && (v as Model).kind === 'model' && (v as Model).schema instanceof z.ZodObject,
  'must be a model from defineModel',
);

/** `model`, after refusing anything that is not a model (a `ValidationError` at `path`). */
export function checkModel<M extends Model>(model: M, path = 'model'): M {
  parseInput(modelSchema, model, path);
  return model;
}
