import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';

export interface UploadCheckTriggerProps {
  /** The bucket presigned uploads land in. */
  readonly bucket: s3.IBucket;
  /** Key prefix of unchecked uploads (`_incoming/`); only objects created under it trigger a check. */
  readonly prefix: string;
  /** The check function (`lambdas/handlers/check-upload.ts`), invoked asynchronously by S3. */
  readonly checkFunction: lambda.IFunction;
  /**
   * Retries of a failed check (Lambda's asynchronous retries, with backoff). Every step of
   * the check is idempotent, so a retry is safe.
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * How long an event may wait for a check (throttling included) before it is given up.
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
  /**
   * How long the record of a check that failed every attempt is kept in the failure queue.
   * @default Duration.days(14)
   */
  readonly failureRetention?: Duration;
}

/**
 * Runs the check function on every object created under the quarantine prefix (an S3 event
 * notification), retries a failed check, and records events that failed every attempt in an
 * encrypted, TLS-only SQS queue instead of dropping them. An upload whose check never
 * succeeds stays unserved in quarantine until the bucket's lifecycle rule expires it.
 */
export class UploadCheckTrigger extends Construct {
  /** Events whose check failed every attempt (the async invoke's on-failure destination). */
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: UploadCheckTriggerProps) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.failureRetention ?? Duration.days(14),
    });
    const isTheDeadLetterQueue =
      'This queue is itself the dead-letter destination (on-failure destination of the check function’s asynchronous ' +
      'invocations); a dead-letter queue for it would only move the same failed events a second time. Nothing ' +
      'consumes it: ops read it, alarmed as soon as it holds a message.';
    Validations.of(this.failures).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: isTheDeadLetterQueue },
      { id: 'Serverless-SQSRedrivePolicy', reason: isTheDeadLetterQueue },
    );
    Validations.of(props.checkFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed asynchronous invocations go to an on-failure destination (the failures queue), which records the ' +
        'event together with the error and the attempts; a dead-letter queue as well would hold the same events ' +
        'twice with less context.',
    });

    props.checkFunction.configureAsyncInvoke({
      retryAttempts: props.retryAttempts ?? 2,
      maxEventAge: props.maxEventAge ?? Duration.hours(6),
      onFailure: new SqsDestination(this.failures),
    });
    props.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new LambdaDestination(props.checkFunction),
      { prefix: props.prefix },
    );
    acknowledgeBucketNotificationsHandler(Stack.of(this));
  }
}

/**
 * Memory of the check function, in MiB: 1 GiB up to uploads of about 340 MiB (the default cap
 * is 100 MiB), more for larger `maxDirectUploadBytes`, since the check holds an upload whole.
 */
export function checkFunctionMemoryMiB(maxDirectUploadBytes: number): number {
  // Three times the upload: the bytes, a transient copy, and the runtime's own working set.
  const needed = Math.ceil((3 * maxDirectUploadBytes) / (1024 * 1024));
  return Math.min(10_240, Math.max(1024, needed));
}

/**
 * Longest run of the check function: 60 s covers reading and rewriting the default 100 MiB cap
 * many times over; larger caps get one more second per 10 MiB (S3 from Lambda moves well over
 * 10 MiB/s each way).
 */
export function checkFunctionTimeout(maxDirectUploadBytes: number): Duration {
  return Duration.seconds(Math.min(900, Math.max(60, Math.ceil(maxDirectUploadBytes / (10 * 1024 * 1024)))));
}

/**
 * `addEventNotification` makes CDK add its own singleton custom resource to the stack
 * (`BucketNotificationsHandler…`): a small inline function that writes the bucket's
 * notification configuration during deploys. Its role is CDK's, not ours to shape, so its
 * finding is acknowledged on exactly that construct.
 */
function acknowledgeBucketNotificationsHandler(stack: Stack): void {
  const handlers: IConstruct[] = stack.node.children.filter((child) =>
    child.node.id.startsWith('BucketNotificationsHandler'),
  );
  if (handlers.length !== 1) {
    throw new Error(
      `UploadCheckTrigger: expected CDK's one BucketNotificationsHandler in ${stack.node.path}, found ${handlers.length}`,
    );
  }
  Validations.of(handlers[0]!).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'CDK’s own S3 bucket-notifications custom resource attaches AWSLambdaBasicExecutionRole to its role (CDK code, ' +
      'not configurable). It grants only CloudWatch Logs writes for that deploy-time function, which runs only when ' +
      'CloudFormation changes the bucket’s notification configuration. (Its s3:PutBucketNotification grant is ' +
      'scoped to the image bucket by CDK.)',
  });
}
