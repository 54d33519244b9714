import http from 'node:http';
import type net from 'node:net';
import type { Repo } from '../git/repo.js';
import { allReservations } from './ports.js';
import { notFoundPage, routeFor } from './proxy-route.js';

export interface ProxyHandle {
  port: number;
  close: () => Promise<void>;
}

/**
 * One HTTP reverse proxy on 127.0.0.1 (never another interface): `http://<task>.localhost:<port>/`
 * reaches that task's first port. Browsers resolve *.localhost to loopback themselves, so nothing
 * is installed system-wide. HTTP and WebSocket upgrades pass through (http-proxy-3). The route
 * table is the port reservations file, read per request: tasks started later are reachable at once.
 */
export async function startProxy(repo: Repo, port: number, log: (line: string) => void = () => {}): Promise<ProxyHandle> {
  const { createProxyServer } = await import('http-proxy-3');
  const proxy = createProxyServer({ ws: true, xfwd: true });
  let listening = port;
  const page = (res: http.ServerResponse, status: number, title: string) => {
    if (res.headersSent) return res.end();
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(notFoundPage(title, allReservations(repo), listening));
  };
  const server = http.createServer((req, res) => {
    const route = routeFor(req.headers.host, allReservations(repo));
    if ('unknown' in route) return page(res, 404, route.unknown ? `No task named ${route.unknown}` : 'Name a task: http://<task>.localhost');
    if ('noPort' in route) return page(res, 404, `Task ${route.noPort} has no ports`);
    proxy.web(req, res, { target: `http://127.0.0.1:${route.port}` }, () => page(res, 502, `Nothing listens on port ${route.name} (${route.port}) of task ${route.task}`));
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const route = routeFor(req.headers.host, allReservations(repo));
    if (!('port' in route)) return socket.destroy();
    proxy.ws(req, socket, head, { target: `ws://127.0.0.1:${route.port}` }, () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  listening = (server.address() as net.AddressInfo).port;
  log(`proxy on http://127.0.0.1:${listening}: http://<task>.localhost:${listening}/`);
  return {
    port: listening,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
