import { openChat, runChat } from '../workload/ai-chat.ts';
import { findOrCreateProfile, touchProfile } from '../workload/profile-ops.ts';
import { createProject, deleteMessage, deleteProject, listProjects } from '../workload/project-ops.ts';
import { viewProject } from '../workload/read-ops.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { TrackedStore } from './tracked-store.ts';

/** The seed's request mix: mostly IDE reads and chats, some writes, a few deletes racing additions. */
export const OPERATION_WEIGHTS = {
  me: 8,
  project_create: 10,
  ai_chat: 16,
  git_status: 16,
  version_list: 16,
  touch: 18,
  delete_message: 10,
  delete_project: 3,
} as const;

export type OperationName = keyof typeof OPERATION_WEIGHTS;

/**
 * Runs one operation for one user on a tracked store (which records what it acknowledges).
 * `rnd` is the session's own: every draw is made whatever the database holds (a pick draws
 * from an empty list too), so the same seed makes the same draws.
 * Rejects when a write fails; writes acknowledged before the failure (a chat's put) stay recorded.
 */
export async function runOperation(
  name: OperationName,
  store: TrackedStore,
  user: string,
  rnd: SeededRandom,
  modelMs: readonly [number, number],
): Promise<void> {
  const pick = rnd.pick;
  switch (name) {
    case 'me':
      await findOrCreateProfile(store, user);
      return;
    case 'project_create':
      await createProject(store, user, { name: `project ${rnd.int(1, 9999)}`, template_id: 'preview-template' });
      return;
    case 'ai_chat': {
      // As the IDE does: list the projects, then start a chat on one by id.
      const turns = [rnd.int(modelMs[0], modelMs[1]), rnd.int(modelMs[0], modelMs[1])];
      const project = pick(await listProjects(store, user));
      const chat = project && (await openChat(store, user, project.id));
      if (chat) await runChat(chat, { message: 'explain this project', turns });
      return;
    }
    case 'git_status':
    case 'version_list':
      await viewProject(store, user, { pick });
      return;
    case 'touch':
      store.incrementing({ field: 'touches', by: 1 });
      await touchProfile(store, user);
      return;
    case 'delete_message':
      await deleteMessage(store, user, pick);
      return;
    case 'delete_project':
      await deleteProject(store, user, { pick });
      return;
  }
}
