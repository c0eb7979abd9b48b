import { hasCode, type NodeAnchor } from '../../index.ts';
import { MESSAGE, type Pick, PROJECT } from './builder-types.ts';
import type { GraphSession, GraphStore } from './graph-store.ts';
import { ensureProfile, findProfile } from './profile-ops.ts';

/** Where a walker finds its project: by id (the HTTP API) or by choice among the user's (the race). */
export type ProjectRef = { readonly id: string } | { readonly pick: Pick };

export interface UserProject {
  readonly profile: NodeAnchor;
  readonly project: NodeAnchor;
}

/** The user's projects, walking root → profile → projects. */
export async function projectsOf(s: GraphSession): Promise<{ profile?: NodeAnchor; projects: NodeAnchor[] }> {
  const profile = await findProfile(s);
  return { profile, projects: profile ? await s.neighbors(profile, { type: PROJECT }) : [] };
}

/** One of the user's projects, reached from the root, so another user's project is never found. */
export async function openProject(s: GraphSession, ref: ProjectRef): Promise<UserProject | undefined> {
  const { profile, projects } = await projectsOf(s);
  const project = 'id' in ref ? projects.find((p) => p.id === ref.id) : ref.pick(projects);
  return profile && project ? { profile, project } : undefined;
}

/** A node of this type owned by `root`, or undefined (absent, another user's, or another type). */
export async function getOwned(s: GraphSession, root: string, id: string, type: string): Promise<NodeAnchor | undefined> {
  try {
    const anchor = await s.get(id);
    return anchor?.kind === 'node' && anchor.type === type && anchor.root === root ? anchor : undefined;
  } catch (error) {
    if (hasCode(error, 'access_denied', 'validation')) return undefined;
    throw error;
  }
}

/**
 * `project_ops create`: one session, as the original runtime had per request — a serializable
 * transaction that finds or creates the user's profile and connects a new Project to it (replayed
 * whole on a conflict, so a concurrent `me` cannot make a second profile).
 */
export function createProject(
  store: GraphStore,
  root: string,
  fields: { name: string; template_id?: string },
): Promise<{ id: string; name: string; profileId: string }> {
  return store.transaction(
    async (tx) => {
      const { profile } = await ensureProfile(tx);
      const project = tx.create(PROJECT, { name: fields.name, template_id: fields.template_id ?? null, opened: 0 });
      tx.connect(profile, project);
      return { id: project.id, name: fields.name, profileId: profile.id };
    },
    { root, mode: 'serializable' },
  );
}

/** `project_ops list`: the user's projects with their message counts. */
export async function listProjects(store: GraphStore, root: string) {
  const s = store.session({ root });
  const { projects } = await projectsOf(s);
  const out = projects.map((p) => ({ id: p.id, name: String(p.fields.name ?? '') }));
  await s.commit();
  return out;
}

/** `project_ops delete`: the project and its messages; resolves to the ids deleted (none: not the user's). */
export async function deleteProject(store: GraphStore, root: string, ref: ProjectRef): Promise<string[]> {
  const s = store.session({ root });
  const found = await openProject(s, ref);
  if (!found) {
    s.abort();
    return [];
  }
  const messages = await s.neighbors(found.project, { type: MESSAGE });
  for (const m of messages) s.destroy(m);
  s.destroy(found.project);
  await s.commit();
  return [found.project.id, ...messages.map((m) => m.id)];
}

/** Deletes one message of one project, while other sessions may be adding to it. */
export async function deleteMessage(store: GraphStore, root: string, pick: Pick): Promise<string | undefined> {
  const s = store.session({ root });
  const found = await openProject(s, { pick });
  const message = found ? pick(await s.neighbors(found.project, { type: MESSAGE })) : undefined;
  if (!message) {
    s.abort();
    return undefined;
  }
  s.destroy(message);
  await s.commit();
  return message.id;
}
