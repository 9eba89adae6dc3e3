import type { S3Event, S3EventRecord } from 'aws-lambda';
import { AppError } from '../core/errors';
import { QUARANTINE_PREFIX } from '../core/object-namespace';
import { countFailureCause, type ErrorAnswers, withInvocation } from '../adapters/invocation';
import type { FunctionMetrics } from '../adapters/metrics';
import {
  type CheckOutcome,
  checkDirectUpload,
  type DirectUploadCheckDeps,
} from '../publishing/check-direct-upload';

export type { CheckOutcome } from '../publishing/check-direct-upload';

/** What the check of direct uploads needs; the Lambda entry and local mode each supply their own. */
export interface CheckUploadDeps extends DirectUploadCheckDeps {
  readonly metrics: FunctionMetrics;
}

/** S3 event keys are form-encoded (`+` for space). */
function eventKeyOf(record: S3EventRecord): string | undefined {
  try {
    return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Runs on `ObjectCreated` under `_incoming/`: each record is checked on its own
 * (`checkDirectUpload`: the same pipeline and errors as `POST /uploads`, the outcome recorded
 * under `_uploads/` for `GET /uploads/{id}`) and its outcome counted. Storage failures are
 * thrown, so Lambda retries the event; every step is idempotent.
 */
export function createCheckUploadRoute(deps: CheckUploadDeps) {
  const checkMeasured = withInvocation(
    { logger: deps.logger, metrics: deps.metrics, route: 'check' },
    RETRIED_BY_LAMBDA,
    (_event: S3EventRecord, context: { awsRequestId?: string } | undefined) => context?.awsRequestId,
    async (event, { measure }) => {
      const quarantineKey = eventKeyOf(event);
      const created = event.eventName.startsWith('ObjectCreated');
      const outcome =
        created && quarantineKey?.startsWith(QUARANTINE_PREFIX)
          ? await checkDirectUpload(deps, { quarantineKey, landedAt: Date.parse(event.eventTime) }, measure)
          : 'ignored';
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
