import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { AppError } from '../core/errors';
import { checkImageUpload } from '../core/image-upload';
import type { UploadLimits } from '../core/limits';
import { MEDIA_TYPES } from '../core/media-types';
import { QUARANTINE_PREFIX, publicKeyOfQuarantined } from '../core/object-namespace';
import type { ImageStore } from '../adapters/image-store';

/** What the check of direct uploads needs; the Lambda entry and local mode each supply their own. */
export interface CheckUploadDeps {
  readonly store: ImageStore;
  /** The pixel limit of `identifyImage` (the byte limit is `maxDirectUploadBytes`). */
  readonly limits: UploadLimits;
  readonly maxDirectUploadBytes: number;
  readonly logger: Logger;
}

/** What became of one quarantined object. */
export type CheckOutcome = 'published' | 'already-published' | 'rejected' | 'gone' | 'ignored';

/** S3 event keys are form-encoded (`+` for space). */
function eventKeyOf(record: S3EventRecord): string | undefined {
  try {
    return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Runs on `ObjectCreated` under `_incoming/`: reads the presigned upload whole, checks it the
 * way `POST /uploads` checks a body (magic numbers agree with the signed type, whole container,
 * pixel limit), publishes exactly the checked bytes under the public key with the canonical
 * type and immutable caching, then deletes the quarantined copy. A refused upload is deleted.
 * Storage failures are thrown, so Lambda retries the event; every step is idempotent.
 */
export function createCheckUploadRoute(deps: CheckUploadDeps) {
  async function checkOne(record: S3EventRecord): Promise<CheckOutcome> {
    const quarantineKey = eventKeyOf(record);
    if (!record.eventName.startsWith('ObjectCreated') || !quarantineKey?.startsWith(QUARANTINE_PREFIX)) return 'ignored';
    const target = publicKeyOfQuarantined(quarantineKey);
    const reject = async (reason: string, detail: string) => {
      await deps.store.deleteObject(quarantineKey);
      deps.logger.warn('direct upload rejected', { key: quarantineKey, reason, detail });
      return 'rejected' as const;
    };
    if (!target) return reject('UNKNOWN_KEY', 'not a key the presign route signs');

    let object;
    try {
      object = await deps.store.getObject(quarantineKey, deps.maxDirectUploadBytes);
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 413) return reject(err.code, err.message);
      throw err;
    }
    if (!object) return 'gone'; // a retry, or a second event for the same upload
    let checked;
    try {
      checked = checkImageUpload({ bytes: object.bytes, declaredTypes: [object.contentType ?? 'none'] }, target.client, deps.limits);
    } catch (err) {
      if (err instanceof AppError && err.expose) return reject(err.code, err.message);
      throw err;
    }
    if (MEDIA_TYPES[checked.format].ext !== target.ext) return reject('TYPE_MISMATCH', `bytes are ${checked.format}, key says .${target.ext}`);

    // The first checked upload wins: a second PUT through the same URL cannot change published bytes.
    if (await deps.store.headObject(target.key)) {
      await deps.store.deleteObject(quarantineKey);
      return 'already-published';
    }
    const filename = object.metadata['original-filename'];
    await deps.store.putObject({
      key: target.key,
      bytes: checked.bytes,
      contentType: checked.contentType,
      sha256Base64: checked.sha256Base64,
      metadata: { client: target.client, sha256: checked.sha256Hex, source: 'presigned-put', ...(filename !== undefined && { 'original-filename': filename }) },
    });
    await deps.store.deleteObject(quarantineKey);
    deps.logger.info('direct upload published', { client: target.client, key: target.key, size: checked.size, contentType: checked.contentType });
    return 'published';
  }

  return async (event: S3Event): Promise<CheckOutcome[]> => {
    const outcomes: CheckOutcome[] = [];
    for (const record of event.Records ?? []) outcomes.push(await checkOne(record));
    return outcomes;
  };
}
