import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  buildConsole,
  CONSOLE_PATH,
  CONSOLE_SECURITY_HEADERS,
  type ConsoleConfig,
  type ConsoleFiles,
  type ConsoleOrigins,
  consoleContentSecurityPolicy,
} from '../console-assets';

/**
 * Serves the console at `/console/` as CloudFront does on AWS: its three files and its
 * `config.json`, with the same CSP and security headers. Built once, at start.
 */
export async function createConsoleRoute(config: ConsoleConfig, origins: ConsoleOrigins) {
  const files: ConsoleFiles = new Map([
    ...(await buildConsole()),
    [
      'config.json',
      { contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(config)) },
    ],
  ]);
  const headers = {
    ...CONSOLE_SECURITY_HEADERS,
    'content-security-policy': consoleContentSecurityPolicy(origins),
    'cache-control': 'no-cache',
  };

  /** Answers the request when its path is the console's; false when it is not. */
  return function serveConsole(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path !== CONSOLE_PATH && !path.startsWith(`${CONSOLE_PATH}/`)) return false;
    if (path === CONSOLE_PATH) {
      res.writeHead(301, { location: `${CONSOLE_PATH}/`, ...headers });
      res.end();
      return true;
    }
    const name = path.slice(CONSOLE_PATH.length + 1) || 'index.html';
    const file = files.get(name);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(file ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(file ? 'method not allowed' : 'not found');
      return true;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length, ...headers });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  };
}
