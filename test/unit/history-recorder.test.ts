import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../src/harness/history/history-recorder.ts';
import { readHistory } from '../../src/harness/history/read-history.ts';
import { tempDir } from '../support/backends.ts';

const dir = tempDir('anchorage-history-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ack = {
  session: 's1',
  operation: 'me',
  user: 'u',
  at: 1,
  created: [{ kind: 'node' as const, id: 'p', type: 'UserProfile' }],
};

describe('history files', () => {
  it('reads back what was recorded, one line per acknowledgement, with the process stamped', () => {
    const path = join(dir, 'round-trip.jsonl');
    const recorder = new HistoryRecorder(path, { process: 'p7', fsync: true });
    recorder.append(ack);
    recorder.append({ ...ack, session: 's2', deleted: ['p'] });
    recorder.close();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(3);
    const { entries, torn } = readHistory([path]);
    expect(torn).toBe(0);
    expect(entries.map((e) => [e.process, e.session, e.deleted])).toEqual([
      ['p7', 's1', []],
      ['p7', 's2', ['p']],
    ]);
  });

  it('skips a torn last line (a process killed mid-write) and refuses a bad line before it', () => {
    const path = join(dir, 'torn.jsonl');
    const recorder = new HistoryRecorder(path, { process: 'p0' });
    recorder.append(ack);
    recorder.close();
    appendFileSync(path, '{"process":"p0","sess');
    expect(readHistory([path])).toMatchObject({ torn: 1, entries: [{ session: 's1' }] });
    appendFileSync(path, '\n{"process":"p0"}\n');
    expect(() => readHistory([path])).toThrow(/torn\.jsonl:2/);
  });
});
