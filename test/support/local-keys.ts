import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageIdOf, opaqueKeyOf } from '../../lambdas/core/opaque-keys';

/**
 * The key local mode over `dataDir` gives an upload, computed the way the service does with the
 * deployment secret it keeps under `DATA_DIR`: tests that know the secret can predict a URL
 * before anything is stored (nobody else can).
 */
export function localKeyOf(
  dataDir: string,
  client: string,
  upload: Uint8Array,
  options: { folder?: string; profile?: string; ext?: string } = {},
): string {
  const secret = Buffer.from(
    readFileSync(join(dataDir, '_catalogue', 'key-secret.hex'), 'utf8').trim(),
    'hex',
  );
  const uploadSha256 = createHash('sha256').update(upload).digest('hex');
  const imageId = imageIdOf(secret, client, options.folder ?? '', uploadSha256);
  return opaqueKeyOf(secret, client, imageId, options.profile ?? 'universal', options.ext ?? 'png');
}
