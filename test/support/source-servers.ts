import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** How a source server answers one request. */
export type SourceHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

/** A request as a source server saw it. */
export interface SeenRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
}

/** A server on 127.0.0.1 standing in for the places images are fetched from. */
export interface SourceServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` (or https). */
  readonly origin: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Starts a source server on 127.0.0.1 with a port chosen by the OS. `routes` maps a path (or a
 * path prefix ending in `/`) to its handler; anything else is 404. With `tls`, it speaks HTTPS.
 */
export async function startSourceServer(
  routes: Readonly<Record<string, SourceHandler>>,
  tls?: { readonly key: string; readonly cert: string },
): Promise<SourceServer> {
  const requests: SeenRequest[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://source.invalid');
    requests.push({ path: url.pathname, headers: req.headers });
    const handler =
      routes[url.pathname] ??
      Object.entries(routes).find(([path]) => path.endsWith('/') && url.pathname.startsWith(path))?.[1];
    if (handler) handler(req, res, url);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such source');
  };
  const server = tls ? createHttpsServer(tls, handle) : createHttpServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers `bytes` with a Content-Type and exact Content-Length. */
export const serveBytes =
  (bytes: Buffer, contentType = 'image/png'): SourceHandler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length }).end(bytes);
  };

/** Answers `bytes` only to `Authorization: <authorization>`; 401 otherwise. */
export const serveBytesWithAuthorization =
  (bytes: Buffer, authorization: string, contentType = 'image/png'): SourceHandler =>
  (req, res, url) => {
    if (req.headers.authorization !== authorization) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"errcode":"M_MISSING_TOKEN"}');
    } else serveBytes(bytes, contentType)(req, res, url);
  };

/** Redirects to `location` (a function of the request's URL for loops). */
export const redirectTo =
  (location: string | ((url: URL) => string), status = 302): SourceHandler =>
  (_req, res, url) => {
    res.writeHead(status, { location: typeof location === 'string' ? location : location(url) }).end();
  };

/** Answers `status` with a short text body. */
export const answerStatus =
  (status: number): SourceHandler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}`);
  };

/** Streams `chunk` for ever, as fast as the client reads, until it goes away. */
export const endlessBody =
  (chunk: Buffer): SourceHandler =>
  (req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    let open = true;
    req.socket.once('close', () => {
      open = false;
    });
    const pump = () => {
      while (open && res.write(chunk)) {}
      if (open) res.once('drain', pump);
    };
    pump();
  };

/** Sends `head` at once, then one byte every `intervalMs`, for ever, until the client goes away. */
export const slowDrip =
  (head: Buffer, intervalMs: number): SourceHandler =>
  (req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.write(head);
    const timer = setInterval(() => res.write(Buffer.from([0])), intervalMs);
    req.socket.once('close', () => clearInterval(timer));
  };

/** Sends the headers and `head`, then nothing more (nor the end). */
export const stallAfter =
  (head: Buffer): SourceHandler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.write(head);
  };

/** Never answers at all. */
export const neverAnswer: SourceHandler = () => {};

/** Declares `declared` bytes, sends `head`, then closes the connection. */
export const truncatedBody =
  (head: Buffer, declared: number): SourceHandler =>
  (req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': declared });
    res.write(head, () => req.socket.destroy());
  };
