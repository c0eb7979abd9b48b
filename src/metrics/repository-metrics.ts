import type { Registry } from 'prom-client';
import { type MetricsSnapshot, snapshotSchema } from './dashboard/dashboard-schema.ts';
import type { HotAnchor } from './hot-anchors.ts';
import { METRICS } from './metric-catalog.ts';
import type { MetricsObserver } from './metrics-observer.ts';

/**
 * `repo.metrics`: this repository's conflict metrics. `prometheus()` is the text exposition of
 * anchorage's metrics in the registry (repositories sharing a registry add up there);
 * `snapshot()` and `hotAnchors()` are this repository's own counts since it opened.
 */
export class RepositoryMetrics {
  /** The prom-client registry holding anchorage's metrics (the one given in options, or the repository's own). */
  readonly registry: Registry;
  readonly #observer: MetricsObserver;
  readonly #topK: number;
  readonly #clock: () => number;

  constructor(registry: Registry, observer: MetricsObserver, topK: number, clock: () => number) {
    this.registry = registry;
    this.#observer = observer;
    this.#topK = topK;
    this.#clock = clock;
  }

  /** Content type of `prometheus()`, for an HTTP response. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Prometheus text exposition of anchorage's metrics (only those, even in a shared registry). */
  async prometheus(): Promise<string> {
    const texts = await Promise.all(
      Object.values(METRICS)
        .filter((m) => this.registry.getSingleMetric(m.name) !== undefined)
        .map((m) => this.registry.getSingleMetricAsString(m.name)),
    );
    return `${texts.join('\n')}\n`;
  }

  /** Totals, resolution breakdown, hot anchors and types, writer pairs and percentiles, as JSON. */
  snapshot(): MetricsSnapshot {
    const o = this.#observer;
    return snapshotSchema.parse({
      ...o.summary(this.#topK),
      writer: o.writer,
      since: o.since,
      at: this.#clock(),
    });
  }

  /** The most-conflicted anchors (ids, types, counts), most first; bounded memory, see HotAnchor.error. */
  hotAnchors(limit = this.#topK): HotAnchor[] {
    return this.#observer.tally.hot.top(limit);
  }

  /** Writes buffered commit counts to the database now (they are also written every second and on close). */
  flush(): Promise<void> {
    return this.#observer.flush();
  }
}
