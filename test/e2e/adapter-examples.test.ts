import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (file: string) => execFileSync('npx', ['tsx', file], { encoding: 'utf8' }).trim().split('\n');

describe('the README adapter examples', () => {
  it("drop-in adapter: a stale request put()s and closes, and the other request's edge survives", () => {
    expect(run('examples/tiered.ts')).toEqual(['["Project","Message"]']);
  });

  it('ORM: find-or-create, link, update, a refused commit naming the path, then listing', () => {
    expect(run('examples/orm.ts')).toEqual(['fields.displayName', '{"projects":["anchorage"],"next":null}']);
  });
});
