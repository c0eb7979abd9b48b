import type { SeededRandom } from '../race/seeded-random.ts';
import type { WorkerFleet } from './worker-fleet.ts';

/** Longest wait between two kills, in ms. */
const MAX_GAP_MS = 250;
/** How long an aimed kill waits for its victim to pause inside a commit before killing anyway. */
const AIM_TIMEOUT_MS = 1500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGKILLs `kills` workers, one at a time, at seeded random moments: a random working victim
 * after a random gap; every other kill (by coin toss) is aimed, waiting for the victim's next
 * commit to pause between its writes and COMMIT, so some kills land inside commits.
 */
export async function runNemesis(fleet: WorkerFleet, kills: number, rnd: SeededRandom): Promise<void> {
  while (fleet.kills < kills) {
    await sleep(rnd.int(0, MAX_GAP_MS));
    const victim = await fleet.readyVictim((count) => rnd.int(0, count - 1));
    if (rnd.next() < 0.5) await fleet.nextPause(victim, AIM_TIMEOUT_MS);
    fleet.kill(victim);
  }
}
