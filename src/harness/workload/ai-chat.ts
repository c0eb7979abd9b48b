import { MESSAGE, PROFILE, PROJECT, sleep } from './builder-types.ts';
import type { GraphSession, GraphStore } from './graph-store.ts';
import { getOwned, type UserProject } from './project-ops.ts';

/** What one chat does: the user's message, then one model call (its duration in ms) per assistant turn. */
export interface ChatPlan {
  readonly message: string;
  readonly turns: readonly number[];
}

/** A chat whose session is open and whose root, profile and project are loaded. */
export interface OpenChat {
  readonly session: GraphSession;
  readonly target: UserProject;
}

/**
 * Opens the seed's `ai_chat` session on a project the client named: loads the root (held, not
 * walked: the chat needs only the project), the project by id and the profile through the
 * project's in-edge. Undefined when the project is not the user's.
 */
export async function openChat(store: GraphStore, root: string, projectId: string): Promise<OpenChat | undefined> {
  const session = store.session({ root });
  await session.root();
  const project = await getOwned(session, root, projectId, PROJECT);
  const [profile] = project ? await session.neighbors(project, { direction: 'in', type: PROFILE }) : [];
  const target: UserProject | undefined = project && profile ? { project, profile } : undefined;
  if (target) return { session, target };
  session.abort();
  return undefined;
}

/**
 * Runs an open chat to its end: connects the user's message, then per turn awaits the model
 * while other sessions commit and connects the reply. The project is `put()` after the first
 * reply (the original runtime saved as it went) and everything is committed at the end.
 * Resolves to the message ids, in order; a failed write rejects (the put's messages stay written).
 */
export async function runChat(chat: OpenChat, plan: ChatPlan): Promise<string[]> {
  const { session: s, target } = chat;
  const ids: string[] = [];
  const say = (role: string, text: string, turn: number) => {
    const m = s.create(MESSAGE, { role, text, turn });
    s.connect(target.project, m);
    ids.push(m.id);
  };
  say('user', plan.message, 0);
  for (const [i, ms] of plan.turns.entries()) {
    await sleep(ms);
    say('assistant', `reply ${i + 1} to: ${plan.message.slice(0, 60)}`, i + 1);
    if (i === 0) await s.put(target.project);
  }
  await s.commit();
  return ids;
}
