import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError, integerSetting, parseClientKeys } from '../../lambdas/adapters/config';
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
  if (env.LOCAL_CLIENTS?.trim()) {
    for (const [name, key] of parseClientKeys(env.LOCAL_CLIENTS, 'LOCAL_CLIENTS'))
      clients.set(name, [...(clients.get(name) ?? []), key]);
  } else {
    clients.set('local', [env.LOCAL_API_KEY?.trim() || `local-${randomBytes(18).toString('base64url')}`]);
  }

  const server = await startLocalServer({ port, dataDir, clients, env });
  const lines = [
    's3-image-proxy local mode',
    `  API        ${server.apiUrl}   (GET /health needs no key)`,
    `  CDN        ${server.cdnBaseUrl}/<key>   (renditions: <key>?w=800&format=webp)`,
    `  Console    ${server.consoleUrl}   (the files page: enter the API key below)`,
    `  S3         ${server.s3Endpoint}   (bucket ${server.bucketName}, data in ${dataDir})`,
    ...[...clients].flatMap(([name, keys]) => keys.map((key) => `  API key    ${key}   (client "${name}")`)),
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
  console.error(err instanceof ConfigError ? `configuration error: ${err.message}` : err);
  process.exit(1);
});
