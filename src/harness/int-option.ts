import { z } from 'zod';

/** A whole-number CLI option (given as a string), within bounds, with messages that name it. */
export const intOption = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);
