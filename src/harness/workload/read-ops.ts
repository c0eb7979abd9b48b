import { MESSAGE } from './builder-types.ts';
import type { GraphStore } from './graph-store.ts';
import { openProject, type ProjectRef } from './project-ops.ts';

export interface ProjectView {
  readonly projectId: string;
  readonly versions: ReadonlyArray<{ readonly id: string; readonly role: string }>;
}

/**
 * The read-only walkers (`git_ops status`, `version_ops list`): a session that loads root,
 * profile and project, reads, and closes. Under anchorage it writes nothing; the naive writer
 * writes every copy it loaded back, as the original runtime did.
 */
export async function viewProject(store: GraphStore, root: string, ref: ProjectRef): Promise<ProjectView | undefined> {
  const s = store.session({ root });
  const found = await openProject(s, ref);
  const messages = found ? await s.neighbors(found.project, { type: MESSAGE }) : [];
  await s.commit();
  if (!found) return undefined;
  return { projectId: found.project.id, versions: messages.map((m) => ({ id: m.id, role: String(m.fields.role ?? '') })) };
}
