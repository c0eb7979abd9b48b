/** Node types of the seed's application (a web IDE with an AI chat), as its walkers use them. */
export const PROFILE = 'UserProfile';
export const PROJECT = 'Project';
export const MESSAGE = 'Message';

/** Picks one item, or undefined from an empty list; the race passes a seeded one, the server the last. */
export type Pick = <T>(items: readonly T[]) => T | undefined;

/** Waits `ms` milliseconds: the simulated model call during which other sessions commit. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
