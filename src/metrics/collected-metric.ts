import type { Metric, Registry } from 'prom-client';
import type { MetricsSummary } from './dashboard/dashboard-schema.ts';
import { METRICS, type MetricSpec } from './metric-catalog.ts';
import { type MetricKey, metricSamples, type Sample } from './metric-samples.ts';

/** A repository's counts so far, summarized when a scrape asks. */
export type SummarySource = () => MetricsSummary;

/**
 * One anchorage metric in a prom-client registry, valued when the registry is scraped from the
 * repositories that registered in it (their counts add up). Commits never touch prom-client:
 * they only add to a repository's own counters, which costs a few additions instead of
 * prom-client's label hashing (measured ~1.5 µs a commit). prom-client reads this through its
 * metric interface (`get`, `reset`, `name`, `help`, `type`, `aggregator`).
 */
export class CollectedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: MetricSpec['type'];
  readonly labelNames: readonly string[];
  readonly aggregator = 'sum';
  readonly #key: MetricKey;
  readonly #sources = new Set<SummarySource>();

  constructor(key: MetricKey) {
    const spec = METRICS[key];
    this.#key = key;
    this.name = spec.name;
    this.help = spec.help;
    this.type = spec.type;
    this.labelNames = spec.labelNames;
  }

  addSource(source: SummarySource): void {
    this.#sources.add(source);
  }

  async get() {
    const merged = new Map<string, Sample>();
    for (const source of this.#sources) {
      for (const s of metricSamples(source())[this.#key]) {
        const key = `${s.metricName ?? ''}${JSON.stringify(s.labels)}`;
        const seen = merged.get(key);
        merged.set(key, seen ? { ...s, value: seen.value + s.value } : s);
      }
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [...merged.values()] };
  }

  /** Counts belong to the repositories and only grow; a registry reset leaves them. */
  reset(): void {}
}

/** The name of an anchorage metric the registry already holds as something else (a metric of its own), if any. */
export function findNameClash(registry: Registry): string | undefined {
  return Object.values(METRICS).find((spec) => {
    const existing = registry.getSingleMetric(spec.name) as unknown;
    return existing !== undefined && !(existing instanceof CollectedMetric);
  })?.name;
}

/** Registers (or joins) anchorage's metrics in the registry, valued from `source` among others. */
export function registerLiveMetrics(registry: Registry, source: SummarySource): void {
  for (const key of Object.keys(METRICS) as MetricKey[]) {
    let metric = registry.getSingleMetric(METRICS[key].name) as unknown;
    if (!(metric instanceof CollectedMetric)) {
      metric = new CollectedMetric(key);
      registry.registerMetric(metric as unknown as Metric);
    }
    (metric as CollectedMetric).addSource(source);
  }
}
