import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { cloneJson, type Json } from '../../core/json.ts';
import type { Fields } from '../../core/row.ts';
import type { Anchor, EdgeAnchor, NodeAnchor } from '../../repository/anchors.ts';
import { Session } from '../../repository/session.ts';
import type { ListOptions } from '../../repository/session-options.ts';
import { parseInput } from '../../repository/validation.ts';
import { InstanceRegistry } from './instance-registry.ts';
import { checkModel, type Instance, type Model, type ModelInput } from './model.ts';
import { assertJson, parseFields, plainFields } from './parse-fields.ts';
import { checkRelation, type Link, type LinkInput, type Relation } from './relation.ts';

/** One page of `ModelSession.list`; pass `next` back as `after` (undefined: no more). */
export interface ModelPage<M extends Model> {
  readonly items: ReadonlyArray<Instance<M>>;
  readonly next: string | undefined;
}

/** Instances are the session's nodes; only their static field types differ. */
const node = (instance: Instance<Model>): NodeAnchor => instance as unknown as NodeAnchor;

const patchSchema = z.record(z.string(), z.unknown());
const eachOptionsSchema = z.object({ pageSize: z.number().int().min(1).max(1000).default(100) }).strict();

/**
 * Typed models over one session (one unit of work). Fields are validated with the model's
 * schema on `create`/`update`/`link` and again, for every instance the session handed out, at
 * `commit`/`close`: a refusal is a `ValidationError` naming the path, and nothing is written.
 * Writes keep the session's conflict semantics: only changed fields are written and merge per
 * field with other writers; links (edges) merge; the same field changed by two sessions is a
 * `ConflictError` unless a policy says otherwise. Use `Orm.transaction` to replay on conflict.
 */
export class ModelSession {
  /** The underlying session, for anchors outside any model; its writes share this commit. */
  readonly session: Session;
  readonly #registry = new InstanceRegistry();

  constructor(session: Session) {
    if (!(session instanceof Session)) throw new ValidationError('session', 'must be a Session');
    this.session = session;
  }

  /** The session's root node as an instance of `model` (whose name must be the root's type, `Root`). */
  async root<M extends Model>(model: M): Promise<Instance<M>> {
    const m = checkModel(model);
    const root = await this.session.root();
    if (root.type !== m.name) throw new ValidationError('model', `the root is a ${root.type}, not a ${m.name}`);
    return this.#adopt(m, root, true);
  }

  /** Stages a new instance; `data` is parsed with the model's schema (defaults and transforms apply). */
  create<M extends Model>(model: M, data: ModelInput<M>): Instance<M> {
    const m = checkModel(model);
    const fields = parseFields(m.schema, data, `new ${m.name}`) as Fields;
    return this.#adopt(m, this.session.create(m.name, fields), false);
  }

  /** The instance of `model` with this id, or undefined (absent, or not of this model). */
  async get<M extends Model>(model: M, id: string): Promise<Instance<M> | undefined> {
    const m = checkModel(model);
    const anchor = await this.session.get(id);
    return anchor?.kind === 'node' && anchor.type === m.name ? this.#adopt(m, anchor, true) : undefined;
  }

  /** As `get`, but absence is a `NotFoundError`. */
  async getOrThrow<M extends Model>(model: M, id: string): Promise<Instance<M>> {
    const found = await this.get(model, id);
    if (!found) throw new NotFoundError(`no ${model.name} with id ${id}`, { context: { model: model.name, id } });
    return found;
  }

  /**
   * Sets the fields in `patch` (an `undefined` value unsets one) after validating the instance
   * as it would be; all or nothing. Only the patched fields count as changed.
   */
  update<M extends Model>(instance: Instance<M>, patch: Partial<ModelInput<M>>): Instance<M> {
    const { label, schema } = this.#registry.schemaOf(instance, 'instance');
    const p = parseInput(patchSchema, patch, 'patch');
    const next: Record<string, unknown> = { ...plainFields(instance.fields), ...p };
    for (const [key, value] of Object.entries(p)) if (value === undefined) delete next[key];
    const parsed = parseFields(schema, next, `${label} ${instance.id}`, instance.id) as Record<string, unknown>;
    for (const key of Object.keys(p)) if (parsed[key] !== undefined) assertJson(parsed[key], `fields.${key}`, instance.id);
    const fields = instance.fields as Fields;
    for (const key of Object.keys(p)) {
      const value = parsed[key] as Json | undefined;
      if (value === undefined) delete fields[key];
      else fields[key] = cloneJson(value);
    }
    return instance;
  }

  /** Stages deletion of an instance; its links go with it. */
  delete<M extends Model>(instance: Instance<M>): void {
    this.#registry.schemaOf(instance, 'instance');
    const anchor = instance as unknown as Anchor;
    if (anchor.kind === 'node') for (const id of anchor.edgeIds) this.#registry.forget(id);
    this.session.destroy(anchor);
    this.#registry.forget(instance.id);
  }

  /** Stored instances of `model` this session can read, ids ascending, one page (`after`, `limit` ≤ 1000, default 100). */
  async list<M extends Model>(model: M, options: ListOptions = {}): Promise<ModelPage<M>> {
    const m = checkModel(model);
    const page = await this.session.list(m.name, options);
    const items = page.anchors.filter((a) => a.kind === 'node').map((a) => this.#adopt(m, a, true));
    return { items, next: page.next };
  }

  /** Every stored instance of `model` this session can read, fetched `pageSize` (default 100) at a time. */
  async *each<M extends Model>(model: M, options: { pageSize?: number } = {}): AsyncGenerator<Instance<M>> {
    const { pageSize } = parseInput(eachOptionsSchema, options, 'options');
    let after: string | undefined;
    do {
      const page = await this.list(model, { after, limit: pageSize });
      yield* page.items;
      after = page.next;
    } while (after !== undefined);
  }

  /** Stages a link `source → target` of `relation`; `data` is parsed with the relation's schema. */
  link<R extends Relation>(relation: R, source: Instance<R['from']>, target: Instance<R['to']>, data?: LinkInput<R>): Link<R> {
    const r = this.#relation(relation, source, target);
    const fields = parseFields(r.schema, data ?? {}, `new ${r.name}`) as Fields;
    const edge = this.session.connect(node(source), node(target), { type: r.name, fields });
    this.#registry.track(edge, r.name, r.schema, false);
    return edge as unknown as Link<R>;
  }

  /** Stages removal of every `relation` link from `source` to `target`; resolves to how many. */
  async unlink<R extends Relation>(relation: R, source: Instance<R['from']>, target: Instance<R['to']>): Promise<number> {
    this.#relation(relation, source, target);
    const doomed = (await this.links(relation, source)).filter((e) => e.target === target.id);
    for (const e of doomed) {
      this.session.disconnect(e as unknown as EdgeAnchor);
      this.#registry.forget(e.id);
    }
    return doomed.length;
  }

  /** The `relation` links going out of `source`, with typed fields, in edge-list order. */
  async links<R extends Relation>(relation: R, source: Instance<R['from']>): Promise<Array<Link<R>>> {
    const r = checkRelation(relation);
    const edges = await this.session.edges(node(source));
    return edges
      .filter((e) => e.type === r.name && e.source === source.id)
      .map((e) => {
        this.#registry.track(e, r.name, r.schema, true);
        return e as unknown as Link<R>;
      });
  }

  /** The instances `source` links to through `relation` (has-many). */
  async targets<R extends Relation>(relation: R, source: Instance<R['from']>): Promise<Array<Instance<R['to']>>> {
    const r = checkRelation(relation);
    const nodes = await this.session.neighbors(node(source), { direction: 'out', edgeType: r.name, type: r.to.name });
    return nodes.map((n) => this.#adopt(r.to as R['to'], n, true));
  }

  /** The instances linking to `target` through `relation` (belongs-to, read backwards). */
  async sources<R extends Relation>(relation: R, target: Instance<R['to']>): Promise<Array<Instance<R['from']>>> {
    const r = checkRelation(relation);
    const nodes = await this.session.neighbors(node(target), { direction: 'in', edgeType: r.name, type: r.from.name });
    return nodes.map((n) => this.#adopt(r.from as R['from'], n, true));
  }

  /** Validates every instance and link this session handed out; throws the first refusal. */
  validate(): void {
    this.#registry.validateAll();
  }

  /** Validates, then writes every staged change atomically (see `Session.commit`). */
  async commit(): Promise<void> {
    this.validate();
    await this.session.commit();
  }

  /** Validates, commits, then releases the session. */
  async close(): Promise<void> {
    this.validate();
    await this.session.close();
  }

  /** Drops every staged change (see `Session.abort`). */
  abort(): void {
    this.session.abort();
    this.#registry.forgetUnwritten();
  }

  #adopt<M extends Model>(model: M, anchor: Anchor, loaded: boolean): Instance<M> {
    this.#registry.track(anchor, model.name, model.schema, loaded);
    return anchor as unknown as Instance<M>;
  }

  #relation<R extends Relation>(relation: R, source: unknown, target: unknown): R {
    const r = checkRelation(relation);
    for (const [path, value, model] of [['source', source, r.from] as const, ['target', target, r.to] as const]) {
      const type = (value as { type?: unknown } | null)?.type;
      if (type !== model.name) throw new ValidationError(path, `expected a ${model.name}, got ${String(type)}`);
    }
    return r;
  }
}
