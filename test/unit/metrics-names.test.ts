import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type NodeAnchor, openRepository } from '../../src/index.ts';
import { METRICS } from '../../src/metrics/index.ts';
import { parsePromText } from '../support/prom-text.ts';

async function raceOnce(registry: Registry) {
  const repo = await openRepository({ url: 'memory:', writerId: 'w1', metrics: { registry }, journalRetention: false });
  const s = repo.session();
  const n = s.create('Doc', { a: 0 });
  await s.commit();
  const a = repo.session();
  const b = repo.session();
  ((await a.get(n.id)) as NodeAnchor).fields.a = 1;
  ((await b.get(n.id)) as NodeAnchor).fields.b = 1;
  await a.commit();
  await b.commit();
  return { repo, nodeId: n.id };
}

describe('metric names and labels', () => {
  it('registers the required metrics with Prometheus names and exactly their labels', async () => {
    const registry = new Registry();
    const { repo } = await raceOnce(registry);
    const metrics = await registry.getMetricsAsJSON();
    const byName = new Map(metrics.map((m) => [m.name, m]));
    const required = {
      anchorage_commits_total: ['backend', 'outcome'],
      anchorage_cas_attempts_total: ['backend', 'outcome'],
      anchorage_conflicts_total: ['backend', 'kind', 'resolution'],
      anchorage_commit_attempts: ['backend'],
      anchorage_commit_duration_seconds: ['backend'],
      anchorage_retry_backoff_seconds_total: ['backend'],
    };
    for (const [name, labels] of Object.entries(required)) {
      expect(byName.has(name), name).toBe(true);
      const spec = Object.values(METRICS).find((m) => m.name === name);
      expect(spec?.labelNames).toEqual(labels);
    }
    for (const m of metrics) {
      expect(m.name).toMatch(/^anchorage_[a-z_]+$/);
      if (String(m.type) === 'counter') expect(m.name).toMatch(/_total$/);
      if (m.name.includes('duration') || m.name.includes('backoff') || m.name.includes('wait'))
        expect(m.name).toMatch(/_seconds/);
    }
    await repo.close();
  });

  it('labels outcomes, kinds and resolutions with their closed sets, never an anchor id', async () => {
    const registry = new Registry();
    const { repo, nodeId } = await raceOnce(registry);
    const { samples } = parsePromText(await registry.metrics());
    const allowed: Record<string, ReadonlySet<string>> = {
      backend: new Set(['memory']),
      outcome: new Set(['committed', 'conflict', 'busy', 'error', 'exhausted']),
      kind: new Set(['edge', 'field', 'delete']),
      resolution: new Set(['rebased', 'merged', 'lww', 'rejected', 'exhausted']),
      reason: new Set(['conflict', 'busy']),
    };
    for (const s of samples) {
      for (const [label, value] of Object.entries(s.labels)) {
        expect(value).not.toBe(nodeId);
        if (label === 'le') continue;
        expect(allowed[label]?.has(value), `${s.name} ${label}=${value}`).toBe(true);
      }
    }
    const conflicts = samples.filter((s) => s.name === 'anchorage_conflicts_total');
    expect(conflicts).toHaveLength(15);
    expect(conflicts.filter((s) => s.value > 0)).toEqual([
      { name: 'anchorage_conflicts_total', labels: { backend: 'memory', kind: 'field', resolution: 'rebased' }, value: 1 },
    ]);
    await repo.close();
  });

  it('lets two repositories share one registry and adds their counts', async () => {
    const registry = new Registry();
    const first = await raceOnce(registry);
    const second = await raceOnce(registry);
    const { samples } = parsePromText((await first.repo.metrics?.prometheus()) ?? '');
    const committed = samples.find((s) => s.name === 'anchorage_commits_total' && s.labels.outcome === 'committed');
    expect(committed?.value).toBe(6);
    await first.repo.close();
    await second.repo.close();
  });

  it('refuses a registry that already has a metric of its own under an anchorage name', async () => {
    const registry = new Registry();
    registry.registerMetric(
      new (await import('prom-client')).Counter({ name: 'anchorage_commits_total', help: 'x', labelNames: ['service'] }),
    );
    await expect(openRepository({ url: 'memory:', metrics: { registry } })).rejects.toMatchObject({ code: 'validation' });
  });

  it('has no metrics when they are off', async () => {
    const repo = await openRepository({ url: 'memory:', metrics: false });
    expect(repo.metrics).toBeUndefined();
    await repo.close();
  });
});
