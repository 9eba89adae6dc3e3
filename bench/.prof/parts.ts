import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { decodeImagePayload } from '../../lambdas/core/upload-payload';
import { checkImageUpload } from '../../lambdas/core/image-upload';
import { decodeBase64Strict } from '../../lambdas/core/base64';
import { DEFAULT_UPLOAD_LIMITS } from '../../lambdas/core/limits';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { createLogger } from '../../lambdas/adapters/logger';
import { loadCommonConfig } from '../../lambdas/adapters/config';
import { createMemoryS3Client } from '../support/memory-s3';
import { compareCpu } from '../support/measure';
import { uploadBody } from '../support/upload-events';
const size = process.env.SIZE ?? '100k';
const image = readFileSync(`/tmp/prof/img-${size}.png`);
const body = uploadBody(image, 'png');
const b64 = image.toString('base64');
const req = { body, isBase64Encoded: false, contentType: 'application/json' };
const payload = decodeImagePayload(req, 4_400_000);
const checked = checkImageUpload(payload, 'bench', DEFAULT_UPLOAD_LIMITS);
const config = loadCommonConfig(process.env);
const { s3 } = createMemoryS3Client(config.storage);
const store = new S3ImageStore(s3, 'b');
const logger = createLogger();
const floor = () => { createHash('sha256').update(Buffer.from((JSON.parse(body) as {image:string}).image, 'base64')).digest(); };
const parts: Record<string, () => unknown> = {
  'JSON.parse': () => JSON.parse(body),
  'Buffer.from b64': () => Buffer.from(b64, 'base64'),
  'sha256': () => createHash('sha256').update(image).digest(),
  'decodeBase64Strict': () => decodeBase64Strict(b64),
  'regex STANDARD': () => /^[A-Za-z0-9+/]*={0,2}$/.test(b64),
  'decodeImagePayload': () => decodeImagePayload(req, 4_400_000),
  'checkImageUpload': () => checkImageUpload(payload, 'bench', DEFAULT_UPLOAD_LIMITS),
  'putObject': () => store.putObject({ key: checked.key, bytes: checked.bytes, contentType: 'image/png', sha256Base64: checked.sha256Base64, metadata: { client: 'bench', sha256: checked.sha256Hex } }),
  'logger child+info': () => { const l = logger.createChild({ persistentKeys: { requestId: 'x' } }); l.info('image stored', { client: 'bench', key: checked.key, size: 1, contentType: 'image/png' }); },
};
for (const [name, op] of Object.entries(parts)) {
  const r = await compareCpu(op, floor, { batches: 7 });
  console.error(name.padEnd(22), r.subjectMicros.toFixed(1), 'us  floor', r.floorMicros.toFixed(1));
}
