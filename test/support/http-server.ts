/**
 * A small real HTTP server on 127.0.0.1 for tests: register handlers by method and path, every
 * request is recorded (method, path, query, headers) so a test can assert what a client asked for.
 *
 *   const srv = await startHttpServer();
 *   srv.on('GET', '/api/x', (req, res) => sendJson(res, 200, { ok: true }));
 *   ... fetch(`${srv.url}/api/x`) ...
 *   await srv.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export type TestHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface TestHttpServer {
  url: string;
  requests: RecordedRequest[];
  /** Handles METHOD PATH (exact path; '*' matches any path with that method). Later registrations win. */
  on(method: string, path: string, handler: TestHandler): void;
  /** Requests whose path is `path`. */
  hits(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

export async function startHttpServer(): Promise<TestHttpServer> {
  const routes: { method: string; path: string; handler: TestHandler }[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers };
    requests.push(rec);
    const route = [...routes].reverse().find((r) => r.method === rec.method && (r.path === rec.path || r.path === '*'));
    if (!route) {
      sendText(res, 404, `no route for ${rec.method} ${rec.path}`);
      return;
    }
    Promise.resolve(route.handler(rec, res)).catch((e: unknown) => {
      if (!res.headersSent) sendText(res, 500, String(e));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, path, handler) {
      routes.push({ method, path, handler });
    },
    hits(path) {
      return requests.filter((r) => r.path === path);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
