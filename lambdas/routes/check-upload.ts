import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { AppError } from '../core/errors';
import type { UploadLimits } from '../core/limits';
import { QUARANTINE_PREFIX, parseQuarantineKey, uploadStatusKey } from '../core/object-namespace';
import { uploadAnswer } from '../core/upload-answer';
import { refusedStatus, publishedStatus, type UploadStatus } from '../core/upload-status';
import type { ImageStore } from '../adapters/image-store';
import type { FunctionMetrics, InvocationMetrics } from '../adapters/metrics';
import { countFailureCause, type ErrorAnswers, withInvocation } from '../adapters/invocation';
import type { CatalogueDeps } from '../catalogue/catalogue-deps';
import { presignedLabelsOf } from '../core/presigned-labels';
import { decodeStoredMetadata } from '../core/stored-metadata';
import { publishImage } from '../publishing/publish-image';
import { profileFor, type FitDefaults } from '../core/fit-defaults';

/** What the check of direct uploads needs; the Lambda entry and local mode each supply their own. */
export interface CheckUploadDeps {
  readonly store: ImageStore;
  /** The pixel limit of the pipeline (the byte limit is `maxDirectUploadBytes`). */
  readonly limits: UploadLimits;
  readonly maxDirectUploadBytes: number;
  readonly publicBaseUrl: string;
  readonly fits: FitDefaults;
  readonly logger: Logger;
  readonly metrics: FunctionMetrics;
  /** The catalogue images are recorded in. @default none (single-handler unit tests) */
  readonly catalogue?: CatalogueDeps | undefined;
  /** The clock that times uploads to servable; injectable for tests. */
  readonly now?: () => number;
}

/** What became of one quarantined object. */
export type CheckOutcome = 'published' | 'rejected' | 'replayed' | 'gone' | 'ignored';

/** S3 event keys are form-encoded (`+` for space). */
function eventKeyOf(record: S3EventRecord): string | undefined {
  try {
    return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Runs on `ObjectCreated` under `_incoming/`: reads the presigned upload whole, checks and
 * renders it exactly as `POST /uploads` would (same pipeline, same errors), publishes the
 * rendition under its content-addressed key and records the outcome under `_uploads/`, where
 * `GET /uploads/{id}` reads it: published (with the upload answer) or refused (with the error
 * code and message). The quarantined copy is always deleted. An upload id is used once: a
 * second PUT through the same, still valid URL finds the outcome recorded and is discarded,
 * so a deleted image never comes back under an old URL. Storage failures are thrown, so
 * Lambda retries the event; every step is idempotent.
 */
export function createCheckUploadRoute(deps: CheckUploadDeps) {
  const now = deps.now ?? Date.now;

  async function record(statusKey: string, status: UploadStatus): Promise<void> {
    const bytes = Buffer.from(JSON.stringify(status));
    const sha256Base64 = createHash('sha256').update(bytes).digest('base64');
    // Conditional: of two checks racing for one upload id, only the first records an outcome.
    await deps.store.putObject({
      key: statusKey,
      bytes,
      contentType: 'application/json',
      sha256Base64,
      metadata: {},
      ifNoneMatch: true,
      private: true,
    });
  }

  async function checkOne(event: S3EventRecord, measure: InvocationMetrics): Promise<CheckOutcome> {
    const quarantineKey = eventKeyOf(event);
    if (!event.eventName.startsWith('ObjectCreated') || !quarantineKey?.startsWith(QUARANTINE_PREFIX))
      return 'ignored';
    const upload = parseQuarantineKey(quarantineKey);
    if (upload) measure.client = upload.client;
    if (!upload) {
      measure.add('Refusals', 1, 'UNKNOWN_KEY');
      await deps.store.deleteObject(quarantineKey);
      deps.logger.warn('direct upload rejected', { key: quarantineKey, reason: 'UNKNOWN_KEY' });
      return 'rejected';
    }
    const statusKey = uploadStatusKey(upload.client, upload.uploadId);
    if (await deps.store.headObject(statusKey)) {
      await deps.store.deleteObject(quarantineKey);
      deps.logger.warn('direct upload replayed: its URL was used before', { key: quarantineKey });
      return 'replayed';
    }
    let outcome: CheckOutcome;
    try {
      const object = await deps.store.getObject(quarantineKey, deps.maxDirectUploadBytes);
      if (!object) return 'gone'; // a retry, or a second event for the same upload
      const signed = decodeStoredMetadata(object.metadata);
      const image = await publishImage(deps, {
        client: upload.client,
        bytes: object.bytes,
        declaredTypes: [object.contentType ?? 'none'],
        profile: profileFor(signed.fit, upload.client, deps.fits),
        filename: signed.filename,
        via: 'presigned-put',
        source: 'presign',
        ...presignedLabelsOf(object.metadata),
      });
      await record(statusKey, publishedStatus(uploadAnswer(image, deps.publicBaseUrl)));
      measure
        .add('Uploads')
        .add('UploadBytes', object.bytes.length)
        .add('Renditions')
        .add('RenditionBytes', image.size);
      const landedAt = Date.parse(event.eventTime);
      if (Number.isFinite(landedAt)) measure.add('TimeToServable', Math.max(0, now() - landedAt));
      deps.logger.info('direct upload published', {
        client: upload.client,
        key: image.key,
        size: image.size,
        profile: image.profile,
      });
      outcome = 'published';
    } catch (err) {
      if (!(err instanceof AppError && err.expose)) throw err;
      await record(statusKey, refusedStatus(err.code, err.message));
      measure.add('Refusals', 1, err.code);
      deps.logger.warn('direct upload rejected', {
        key: quarantineKey,
        reason: err.code,
        detail: err.message,
      });
      outcome = 'rejected';
    }
    await deps.store.deleteObject(quarantineKey);
    return outcome;
  }

  // One record, measured: its outcome is counted; a failure is rethrown so Lambda retries the event.
  const checkMeasured = withInvocation(
    { logger: deps.logger, metrics: deps.metrics, route: 'check' },
    RETRIED_BY_LAMBDA,
    (_event: S3EventRecord, context: { awsRequestId?: string } | undefined) => context?.awsRequestId,
    async (event, { measure }) => {
      const outcome = await checkOne(event, measure);
      measure.add('Checks', 1, outcome);
      return outcome;
    },
  );

  return async (event: S3Event, context?: { awsRequestId?: string }): Promise<CheckOutcome[]> => {
    const outcomes: CheckOutcome[] = [];
    for (const one of event.Records ?? []) outcomes.push(await checkMeasured(one, context));
    return outcomes;
  };
}

/** How the check answers a failure: logged with its cause first, the way a 5xx of the API is, and rethrown. */
const RETRIED_BY_LAMBDA: ErrorAnswers<S3EventRecord, CheckOutcome, string | undefined> = {
  answer: (err, failure, event) => {
    const cause = countFailureCause(err, failure.measure);
    failure.logger.error('check of a direct upload failed; Lambda retries it', {
      key: eventKeyOf(event),
      ...(failure.requestId !== undefined && { function_request_id: failure.requestId }),
      cold_start: failure.coldStart,
      error: err instanceof AppError ? err.code : (err as Error | undefined)?.name,
      ...(err instanceof AppError && { statusCode: err.statusCode }),
      cause,
    });
    throw err;
  },
};
