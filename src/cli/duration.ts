import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** A duration such as `500ms`, `30s`, `15m`, `2h`, `7d`, `1w` (one or more parts: `1h30m`), in milliseconds. */
export const durationSchema = z
  .string()
  .regex(/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/, 'must be a duration such as 30s, 15m, 2h, 7d or 1h30m')
  .transform((text) => {
    let ms = 0;
    for (const [, n, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d|w)/g))
      ms += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
    return ms;
  });
