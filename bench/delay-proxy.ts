import net from 'node:net';

/**
 * A TCP proxy that holds every chunk the server sends for `rttMs` before passing it on: clients
 * behind it see the server one network round trip away, as app servers on other machines do
 * (a lock held across a client's round trips is then held that much longer). Chunks keep their
 * order; the client's side goes through at once.
 */
export async function startDelayProxy(target: { host: string; port: number }, rttMs: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.on('data', (chunk) => setTimeout(() => client.write(chunk), rttMs));
    upstream.once('end', () => setTimeout(() => client.end(), rttMs));
    client.once('error', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
