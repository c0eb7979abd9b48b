import type { SeededRandom } from '../race/seeded-random.ts';
import type { WorkerFleet } from './worker-fleet.ts';

/** Longest wait between two kills, in ms. */
const MAX_GAP_MS = 250;
/** Longest a victim must have been working before it may be killed, so killed workers get things done. */
const MAX_AGE_MS = 2000;
/** How long an aimed kill waits for its victim to pause inside a commit before killing anyway. */
const AIM_TIMEOUT_MS = 1500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGKILLs `kills` workers, one at a time, at seeded random moments: after a random gap, a random
 * victim among those working for a random while (so killed workers got work done); every other
 * kill (by coin toss) is aimed, waiting for the victim's next commit to pause between its writes
 * and COMMIT, so some kills land inside commits. Ends early when the fleet is failing.
 */
export async function runNemesis(fleet: WorkerFleet, kills: number, rnd: SeededRandom): Promise<void> {
  while (fleet.kills < kills) {
    await sleep(rnd.int(0, MAX_GAP_MS));
    const victim = await fleet.readyVictim((count) => rnd.int(0, count - 1), rnd.int(0, MAX_AGE_MS));
    if (!victim) return; // the fleet is failing: its errors end the campaign
    if (rnd.next() < 0.5) await fleet.nextPause(victim, AIM_TIMEOUT_MS);
    fleet.kill(victim);
  }
}
