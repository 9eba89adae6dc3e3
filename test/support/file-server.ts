import { afterAll, beforeAll } from 'vitest';
import { type LocalServer, type LocalServerOptions, startLocalServer } from '../../infra/local/local-server';
import { type ApiCaller, apiCaller } from './catalogue-client';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { makeTempDir } from './temp-dir';

/** Local mode's throttle lifted: a test that uploads dozens of images in a second is no abuser. */
export const UNTHROTTLED = { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' } as const;

export interface FileServerSetup extends Omit<LocalServerOptions, 'port' | 'dataDir' | 'clients'> {
  /** Puts a fault-injecting proxy (`startFaultProxy`) between the routes and the embedded S3. */
  readonly s3FaultProxy?: boolean;
}

export interface FileServer {
  /** The server's data dir (the embedded S3's objects, the catalogue's files). */
  readonly dataDir: string;
  /** The running server (read it in hooks and tests, not at the file's top level). */
  readonly server: LocalServer;
  /** The S3 fault proxy, with `s3FaultProxy`. */
  readonly proxy: FaultProxy;
  /** Calls over real HTTP with that client's key; usable at the top level (it reads the server per call). */
  api(client: string): ApiCaller;
}

/**
 * One local server for the test file that calls this, for `clients` (name → API key): started
 * in `beforeAll` over a fresh temp dir (ports chosen by the OS), and closed with its fault proxy
 * and the dir in `afterAll`. `setup` may be a function: it is read in `beforeAll`, after the
 * hooks the file registered before (a source server's port, `vi.stubEnv` for what local mode
 * reads at start).
 */
export function useLocalServer(
  name: string,
  clients: Readonly<Record<string, string>>,
  setup: FileServerSetup | (() => FileServerSetup) = {},
): FileServer {
  const dir = makeTempDir(name);
  let server: LocalServer | undefined;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    const { s3FaultProxy, ...options } = typeof setup === 'function' ? setup() : setup;
    server = await startLocalServer({
      ...options,
      port: 0,
      dataDir: dir.path,
      clients: new Map(Object.entries(clients)),
      ...(s3FaultProxy && {
        s3EndpointOverride: async (embedded: string) => {
          proxy = await startFaultProxy(embedded);
          return proxy.endpoint;
        },
      }),
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    dir.remove();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`${name}: the ${what} is not started (read it in a hook or a test)`);
    return value;
  };
  const fixture: FileServer = {
    dataDir: dir.path,
    get server() {
      return started(server, 'local server');
    },
    get proxy() {
      return started(proxy, 'S3 fault proxy (pass s3FaultProxy: true)');
    },
    api: (client) => {
      const key = clients[client];
      if (key === undefined) throw new Error(`${name}: no client named ${client}`);
      return apiCaller(
        {
          get apiUrl() {
            return fixture.server.apiUrl;
          },
        },
        key,
      );
    },
  };
  return fixture;
}
