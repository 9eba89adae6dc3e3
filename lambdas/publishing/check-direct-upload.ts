import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ImageStore } from '../adapters/image-store';
import type { InvocationMetrics } from '../adapters/metrics';
import type { CatalogueDeps } from '../catalogue/catalogue-deps';
import { AppError } from '../core/errors';
import { type FitDefaults, profileFor } from '../core/fit-defaults';
import type { UploadLimits } from '../core/limits';
import { parseQuarantineKey, uploadStatusKey } from '../core/object-namespace';
import { presignedLabelsOf } from '../core/presigned-labels';
import { decodeStoredMetadata } from '../core/stored-metadata';
import { uploadAnswer } from '../core/upload-answer';
import { publishedStatus, refusedStatus, type UploadStatus } from '../core/upload-status';
import { publishImage } from './publish-image';

/** What the check of direct uploads needs; the Lambda entry and local mode each supply their own. */
export interface DirectUploadCheckDeps {
  readonly store: ImageStore;
  /** The pixel limit of the pipeline (the byte limit is `maxDirectUploadBytes`). */
  readonly limits: UploadLimits;
  readonly maxDirectUploadBytes: number;
  readonly publicBaseUrl: string;
  readonly fits: FitDefaults;
  readonly logger: Logger;
  /** The catalogue images are recorded in. @default none (single-handler unit tests) */
  readonly catalogue?: CatalogueDeps | undefined;
  /** The clock that times uploads to servable; injectable for tests. */
  readonly now?: () => number;
}

/** What became of one quarantined object. */
export type CheckOutcome = 'published' | 'rejected' | 'replayed' | 'gone' | 'ignored';

/** One presigned upload that landed in quarantine. */
export interface LandedUpload {
  readonly quarantineKey: string;
  /** When S3 says it landed (epoch ms), or NaN when it did not say. */
  readonly landedAt: number;
}

/**
 * Checks and renders a quarantined upload exactly as `POST /uploads` would (same pipeline,
 * same errors), publishes the rendition and records the outcome under `_uploads/`, where
 * `GET /uploads/{id}` reads it: published (with the upload answer) or refused (with the error
 * code and message). The quarantined copy is always deleted. An upload id is used once: a
 * second PUT through the same, still valid URL finds the outcome recorded and is discarded,
 * so a deleted image never comes back under an old URL. Storage failures are thrown; every
 * step is idempotent, so the caller may retry.
 */
export async function checkDirectUpload(
  deps: DirectUploadCheckDeps,
  landed: LandedUpload,
  measure: InvocationMetrics,
): Promise<CheckOutcome> {
  const { quarantineKey } = landed;
  const upload = parseQuarantineKey(quarantineKey);
  if (!upload) {
    measure.add('Refusals', 1, 'UNKNOWN_KEY');
    await deps.store.deleteObject(quarantineKey);
    deps.logger.warn('direct upload rejected', { key: quarantineKey, reason: 'UNKNOWN_KEY' });
    return 'rejected';
  }
  measure.client = upload.client;
  const statusKey = uploadStatusKey(upload.client, upload.uploadId);
  if (await deps.store.headObject(statusKey)) {
    await deps.store.deleteObject(quarantineKey);
    deps.logger.warn('direct upload replayed: its URL was used before', { key: quarantineKey });
    return 'replayed';
  }
  let outcome: CheckOutcome;
  try {
    outcome = await publishLanded(deps, { ...landed, client: upload.client, statusKey }, measure);
    if (outcome === 'gone') return outcome; // a retry, or a second event for the same upload
  } catch (err) {
    if (!(err instanceof AppError && err.expose)) throw err;
    await recordOutcome(deps.store, statusKey, refusedStatus(err.code, err.message));
    measure.add('Refusals', 1, err.code);
    deps.logger.warn('direct upload rejected', { key: quarantineKey, reason: err.code, detail: err.message });
    outcome = 'rejected';
  }
  await deps.store.deleteObject(quarantineKey);
  return outcome;
}

/** Publishes the quarantined upload with what its presigned PUT signed (profile, name, folder, tags). */
async function publishLanded(
  deps: DirectUploadCheckDeps,
  landed: LandedUpload & { readonly client: string; readonly statusKey: string },
  measure: InvocationMetrics,
): Promise<CheckOutcome> {
  const { client } = landed;
  const object = await deps.store.getObject(landed.quarantineKey, deps.maxDirectUploadBytes);
  if (!object) return 'gone';
  const signed = decodeStoredMetadata(object.metadata);
  const image = await publishImage(deps, {
    client,
    bytes: object.bytes,
    declaredTypes: [object.contentType ?? 'none'],
    profile: profileFor(signed.fit, client, deps.fits),
    filename: signed.filename,
    via: 'presigned-put',
    source: 'presign',
    ...presignedLabelsOf(object.metadata),
  });
  await recordOutcome(deps.store, landed.statusKey, publishedStatus(uploadAnswer(image, deps.publicBaseUrl)));
  measure
    .add('Uploads')
    .add('UploadBytes', object.bytes.length)
    .add('Renditions')
    .add('RenditionBytes', image.size);
  const now = deps.now ?? Date.now;
  if (Number.isFinite(landed.landedAt)) measure.add('TimeToServable', Math.max(0, now() - landed.landedAt));
  deps.logger.info('direct upload published', {
    client,
    key: image.key,
    size: image.size,
    profile: image.profile,
  });
  return 'published';
}

/** Records an upload's outcome. Conditional: of two checks racing for one upload id, only the first records one. */
async function recordOutcome(store: ImageStore, statusKey: string, status: UploadStatus): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(status));
  const sha256Base64 = createHash('sha256').update(bytes).digest('base64');
  await store.putObject({
    key: statusKey,
    bytes,
    contentType: 'application/json',
    sha256Base64,
    metadata: {},
    ifNoneMatch: true,
    private: true,
  });
}
