import { randomUUID } from 'node:crypto';
import type { NodeAnchor } from '../../index.ts';
import { PROFILE } from './builder-types.ts';
import type { GraphSession, GraphStore } from './graph-store.ts';

export interface ProfileSummary {
  readonly id: string;
  readonly userId: string;
  readonly displayName: string;
  /** This call created the profile. */
  readonly created: boolean;
}

/** The user's profile under the session's root, if there is one (the first, in edge order). */
export async function findProfile(s: GraphSession): Promise<NodeAnchor | undefined> {
  const root = await s.root();
  const [profile] = await s.neighbors(root, { type: PROFILE });
  return profile;
}

/**
 * Finds the user's profile under the session's root or stages a new one connected to it. Run it
 * in a serializable transaction (the choice depends on what was read), so two concurrent calls
 * make one profile, not two.
 */
export async function ensureProfile(
  tx: GraphSession,
  displayNameHint?: string,
): Promise<{ profile: NodeAnchor; created: boolean }> {
  const found = await findProfile(tx);
  if (found) return { profile: found, created: false };
  const profile = tx.create(PROFILE, { user_id: randomUUID(), display_name: displayNameHint ?? '', touches: 0 });
  tx.connect(await tx.root(), profile);
  return { profile, created: true };
}

/** The seed's `me` walker: find the user's `UserProfile` under the root or create it, in one serializable transaction. */
export function findOrCreateProfile(store: GraphStore, root: string, displayNameHint?: string): Promise<ProfileSummary> {
  return store.transaction(
    async (tx) => {
      const { profile, created } = await ensureProfile(tx, displayNameHint);
      return {
        id: profile.id,
        userId: String(profile.fields.user_id),
        displayName: String(profile.fields.display_name ?? ''),
        created,
      };
    },
    { root, mode: 'serializable' },
  );
}

/**
 * The `touch` counter: one increment of the profile's `touches` in a transaction, so a
 * concurrent increment makes it replay instead of losing one. Resolves to the profile id.
 */
export function touchProfile(store: GraphStore, root: string): Promise<string | undefined> {
  return store.transaction(
    async (tx) => {
      const profile = await findProfile(tx);
      if (!profile) return undefined;
      profile.fields.touches = Number(profile.fields.touches ?? 0) + 1;
      return profile.id;
    },
    { root },
  );
}
