import type { Logger } from '@aws-lambda-powertools/logger';
import { AppError, StorageUnavailableError } from '../core/errors';
import type { MetricRoute } from '../core/metric-catalogue';
import type { FunctionMetrics, InvocationMetrics } from './metrics';
import { type CauseDescription, describeCause } from './service-errors';

/** What every function reports through. */
export interface InvocationOptions {
  readonly logger: Logger;
  readonly metrics: FunctionMetrics;
  /** The metric route; a body serving several (objects) renames it on `measure.route`. */
  readonly route: MetricRoute;
}

/** One invocation as its body sees it. */
export interface Invocation<Id extends string | undefined = string> {
  /** The request id answers and log lines carry (the function's request id on Lambda). */
  readonly requestId: Id;
  /** The invocation's measurements, published once when it ends. */
  readonly measure: InvocationMetrics;
}

/** What a failed invocation knows when its error is turned into an answer. */
export interface InvocationFailure<Id extends string | undefined = string> extends Invocation<Id> {
  /** Whether this was the first invocation of a new function instance. */
  readonly coldStart: boolean;
  /** The function's logger (a child logger per request is made only on failure: it costs more than the line). */
  readonly logger: Logger;
}

/**
 * How one kind of function turns what its body threw into its answer: an API Gateway result,
 * a CDN answer, or a rethrow (S3 events, so Lambda retries). It logs and counts the failure.
 */
export interface ErrorAnswers<Input, Answer, Id extends string | undefined = string> {
  readonly answer: (err: unknown, failure: InvocationFailure<Id>, input: Input) => Answer;
  /**
   * The HTTP status of an answer, when invocations are requests: each is then counted as
   * `Requests`, and a 5xx the service caused as `ServerErrors`. @default not a request
   */
  readonly statusOf?: ((answer: Answer) => number) | undefined;
}

/**
 * Counts a storage fault (`StorageFaults` by the fault's kind) and describes the error's cause
 * for a log line: the service's name for it, HTTP status and request ids, never a message.
 */
export function countFailureCause(
  err: unknown,
  measure: InvocationMetrics | undefined,
): CauseDescription | undefined {
  const cause = describeCause(err instanceof AppError ? err.cause : err);
  if (err instanceof StorageUnavailableError) measure?.add('StorageFaults', 1, cause?.fault ?? 'other');
  return cause;
}

/**
 * The one invocation wrapper: times and counts each invocation (its metrics published once,
 * whatever happens), tells the body whether the instance is cold, and turns what the body throws
 * into the answer `errors` gives (or its rethrow).
 */
export function withInvocation<Input, Context, Answer, Id extends string | undefined>(
  options: InvocationOptions,
  errors: ErrorAnswers<Input, Answer, Id>,
  requestIdOf: (input: Input, context: Context) => Id,
  body: (input: Input, invocation: Invocation<Id>) => Promise<Answer>,
): (input: Input, context: Context) => Promise<Answer> {
  let coldStart = true;
  return async (input, context) => {
    const requestId = requestIdOf(input, context);
    const firstInvocation = coldStart;
    coldStart = false;
    const measure = options.metrics.begin(options.route);
    try {
      let answer: Answer;
      try {
        answer = await body(input, { requestId, measure });
      } catch (err) {
        const failure = { requestId, measure, coldStart: firstInvocation, logger: options.logger };
        answer = errors.answer(err, failure, input);
      }
      if (errors.statusOf !== undefined) countRequest(measure, errors.statusOf(answer));
      return answer;
    } finally {
      options.metrics.publish(measure, requestId === undefined ? {} : { requestId });
    }
  };
}

function countRequest(measure: InvocationMetrics, status: number): void {
  measure.add('Requests');
  // A 5xx the client caused and was told about (an unreachable source URL: 502 SOURCE_UNAVAILABLE)
  // is a refusal by its code, not the service failing.
  const refused = measure.data.some((datum) => datum.name === 'Refusals');
  if (status >= 500 && !refused) measure.add('ServerErrors');
}
