import { z } from 'zod';
import { openChat, runChat } from '../harness/workload/ai-chat.ts';
import type { GraphStore } from '../harness/workload/graph-store.ts';
import { findOrCreateProfile } from '../harness/workload/profile-ops.ts';
import { createProject, deleteProject, listProjects } from '../harness/workload/project-ops.ts';
import { viewProject } from '../harness/workload/read-ops.ts';
import { HttpError } from './http-error.ts';

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const projectId = z.string().min(1).max(128);

const schemas = {
  me: z.object({ display_name_hint: text(200).optional() }),
  project_ops: z.discriminatedUnion('action', [
    z.object({ action: z.literal('create'), name: text(200).min(1), template_id: text(200).optional() }),
    z.object({ action: z.literal('list') }),
    z.object({ action: z.literal('delete'), project_id: projectId }),
  ]),
  ai_chat: z.object({ action: z.literal('start'), project_id: projectId, message: text(10_000).default('') }),
  git_ops: z.object({ action: z.literal('status'), project_id: projectId }),
  version_ops: z.object({ action: z.literal('list'), project_id: projectId }),
};

export type WalkerName = keyof typeof schemas;

export interface WalkerContext {
  readonly store: GraphStore;
  /** The caller's root: every session is opened on it, so no walker reaches another user's graph. */
  readonly root: string;
  /** Model-call durations (ms) of one chat, one per assistant turn. */
  readonly chatTurns: () => number[];
  /** Runs a background task (the chat) past the response; the server waits for them on shutdown. */
  readonly background: (task: Promise<unknown>) => void;
}

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new HttpError(400, 'bad_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

/** Runs one walker for one user (one session per request) and returns its reports. */
export async function runWalker(name: string, body: unknown, ctx: WalkerContext): Promise<unknown[]> {
  const { store, root } = ctx;
  switch (name as WalkerName) {
    case 'me': {
      const { display_name_hint } = parseBody(schemas.me, body);
      const p = await findOrCreateProfile(store, root, display_name_hint);
      return [{ user: { user_id: p.userId, display_name: p.displayName } }];
    }
    case 'project_ops': {
      const op = parseBody(schemas.project_ops, body);
      if (op.action === 'list') return [{ projects: await listProjects(store, root) }];
      if (op.action === 'delete') {
        const deleted = await deleteProject(store, root, { id: op.project_id });
        if (deleted.length === 0) throw notFound('project');
        return [{ deleted }];
      }
      const project = await createProject(store, root, { name: op.name, template_id: op.template_id });
      return [{ project: { id: project.id, name: project.name } }];
    }
    case 'ai_chat': {
      const op = parseBody(schemas.ai_chat, body);
      const chat = await openChat(store, root, op.project_id);
      if (!chat) throw notFound('project');
      ctx.background(runChat(chat, { message: op.message, turns: ctx.chatTurns() }));
      return [{ chat: { status: 'started', project_id: op.project_id } }];
    }
    case 'git_ops':
    case 'version_ops': {
      const op = parseBody(name === 'git_ops' ? schemas.git_ops : schemas.version_ops, body);
      const view = await viewProject(store, root, { id: op.project_id });
      if (!view) throw notFound('project');
      if (name === 'version_ops') return [{ versions: view.versions }];
      return [{ status: { project_id: view.projectId, branch: 'main', clean: true, versions: view.versions.length } }];
    }
    default:
      throw new HttpError(404, 'unknown_walker', `no walker named ${JSON.stringify(name.slice(0, 64))}`);
  }
}
