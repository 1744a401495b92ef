// Closing a server without waiting on clients forever. Node's server.close() ends idle keep-alive connections, but
// waits for every other one: a connection that has not sent a request yet (or, with TLS, not finished its handshake)
// and a stalled, half-sent request each hold it open until their own timeouts — the API server's spare connection
// kept the webhook server's close() waiting 88 s, past a pod's termination grace period. So once no request is in
// flight, every socket still open is destroyed; requests in flight get `graceMs` to finish first. Shared by the
// fastify servers (webhooks, sync-hooks, toolserver), like serve.ts's signal handling.
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';

/** Starts tracking `server`'s sockets and requests now; the returned function runs `close` and ends what is left. */
export function boundedClose(server: HttpServer, graceMs: number): (close: () => Promise<void>) => Promise<void> {
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let closing = false;
  const destroyAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  // 'connection' is the raw TCP socket, also for TLS servers, so connections still in their handshake are covered.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (closing && inFlight === 0) destroyAll();
    });
  });
  return async (close) => {
    closing = true;
    const closed = close();
    // After close() has stopped the listener: nothing new arrives, so with nothing in flight nothing is lost.
    if (inFlight === 0) destroyAll();
    const timer = setTimeout(destroyAll, graceMs);
    timer.unref();
    try {
      await closed;
    } finally {
      clearTimeout(timer);
    }
  };
}
