import { join, resolve } from 'node:path';
import { ConfigError, integerSetting, parseClientKeys } from '../../lambdas/adapters/config';
import { localApiKey, type LocalKey } from './local-key';
import { startLocalServer } from './local-server';
import { stopOnSignals } from './shutdown';

/**
 * `npm start`: the whole API on 127.0.0.1 over an embedded S3, configured by PORT, DATA_DIR,
 * LOCAL_API_KEY and LOCAL_CLIENTS (see docs/local-mode.md).
 */
async function main(): Promise<void> {
  const env = process.env;
  const port = integerSetting(env, 'PORT', 3000, 0, 65_535);
  const dataDir = resolve(env.DATA_DIR?.trim() || '.data');
  // A client named twice (`alice=old-key,alice=new-key`) holds both keys: a rotation window.
  const clients = new Map<string, string[]>();
  let localKey: LocalKey | undefined;
  if (env.LOCAL_CLIENTS?.trim()) {
    for (const [name, key] of parseClientKeys(env.LOCAL_CLIENTS, 'LOCAL_CLIENTS'))
      clients.set(name, [...(clients.get(name) ?? []), key]);
  } else {
    localKey = localApiKey(dataDir, env.LOCAL_API_KEY);
    clients.set('local', [localKey.key]);
  }

  const server = await startLocalServer({ port, dataDir, clients, env });
  const lines = [
    's3-image-proxy local mode',
    `  API        ${server.apiUrl}   (GET /health needs no key)`,
    `  CDN        ${server.cdnBaseUrl}/<key>   (renditions: <key>?w=800&format=webp)`,
    `  Console    ${server.consoleUrl}   (the files page: enter the API key below)`,
    `  S3         ${server.s3Endpoint}   (bucket ${server.bucketName}, data in ${dataDir})`,
    `  DynamoDB   ${server.dynamoEndpoint}   (catalogue table ${server.catalogueTable}, data in ${join(dataDir, '_catalogue')})`,
    ...[...clients].flatMap(([name, keys]) => keys.map((key) => `  API key    ${key}   (client "${name}")`)),
    ...(localKey?.file
      ? [`             ${localKey.origin} in ${localKey.file}; LOCAL_API_KEY overrides it`]
      : []),
    '',
    `  curl -H 'x-api-key: ${[...clients.values()][0]![0]}' -H 'content-type: image/png' --data-binary @photo.png ${server.apiUrl}/uploads`,
    '',
    'Ctrl-C stops.',
  ];
  // Handlers go in before the banner: whoever reads it may signal at once.
  stopOnSignals(() => server.close());
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  console.error(startFailure(err));
  process.exit(1);
});

/** What a failed start prints: a sentence with the fix for what a user can fix, else the error. */
function startFailure(err: unknown): unknown {
  if (err instanceof ConfigError) return `configuration error: ${err.message}`;
  const { code, port } = err as NodeJS.ErrnoException & { port?: number };
  if (code === 'EADDRINUSE') return `port ${port} is in use: set PORT (e.g. PORT=3001 npm start)`;
  if (code === 'EACCES') return `port ${port} needs privileges: set PORT to 1024 or above`;
  return err;
}
