import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../src/index.ts';
import { metricsHandler } from '../../src/metrics/index.ts';
import { parsePromText, promValue } from '../support/prom-text.ts';

describe('metricsHandler', () => {
  let repo: Repository;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    repo = await openRepository({ url: 'memory:', metrics: { registry: new Registry() } });
    const s = repo.session();
    s.create('Doc', {});
    await s.commit();
    server = createServer(metricsHandler(repo.metrics as NonNullable<Repository['metrics']>));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await repo.close();
  });

  it('serves the text exposition on GET /metrics', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const { samples } = parsePromText(await res.text());
    expect(promValue(samples, 'anchorage_commits_total', { outcome: 'committed' })).toBe(1);
  });

  it('answers HEAD /metrics as GET, with the same headers and no body', async () => {
    const get = await fetch(`${base}/metrics`);
    await get.text();
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe(repo.metrics?.contentType);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/other`, { method: 'HEAD' })).status).toBe(404);
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    expect((await fetch(`${base}/other`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves a whole registry, on any path when path is null', async () => {
    const registry = new Registry();
    const other = createServer(metricsHandler(registry, { path: null }));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/anything`);
    expect(res.status).toBe(200);
    await new Promise((resolve) => other.close(resolve));
  });
});
