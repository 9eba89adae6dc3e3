import { erasureSettings } from '../../lambdas/settings/erasure';
import { invalidationSettings } from '../../lambdas/settings/invalidation';
import { reconcileSettings } from '../../lambdas/settings/reconcile';
import { environmentOf } from '../../lambdas/settings/setting';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/adapters/env-names';
import { CapabilityFunction } from './capability-function';
import type { ImageCatalogue } from './image-catalogue';
import type { ImageStorage } from './image-storage';

export interface CatalogueReconcilerProps {
  readonly storage: ImageStorage;
  readonly catalogue: ImageCatalogue;
  /** The CDN, whose paths an erasure the reconciler continues invalidates. */
  readonly distribution: cloudfront.IDistribution;
  /** Base of the public URLs (the CDN's), whose paths are invalidated. */
  readonly publicBaseUrl: string;
  /** Whether deletes invalidate the CDN (`invalidateOnDelete`), as the objects function does. */
  readonly invalidateOnDelete: boolean;
  /** `ERASE_IN_BACKGROUND_ABOVE`, the objects function's; read with the erasure settings. */
  readonly eraseInBackgroundAbove: number;
  /**
   * Hours between scheduled runs (`reconcileEveryHours`); 0: no schedule, the function runs
   * only when invoked (`aws lambda invoke`, or `npm run catalogue:reconcile` from a laptop).
   * @default 24
   */
  readonly everyHours?: number;
  /**
   * Records and objects younger than this are left alone: their writes may be in flight.
   * @default Duration.minutes(10)
   */
  readonly grace?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default false */
  readonly tracing?: boolean;
  /** @default false */
  readonly sourceMapStackTraces?: boolean;
}

// Lambda's longest run: a run stops a minute before it and leaves its cursor for the next.
const RUN_TIMEOUT = Duration.minutes(15);

/**
 * The catalogue reconciler on AWS (`lambdas/handlers/reconcile.ts`): a function run by an
 * EventBridge schedule that first continues folder erasures whose runs all died, then makes the
 * bucket and the catalogue agree (`lambdas/catalogue/reconcile.ts`) from where its last run
 * stopped (a cursor item in the catalogue table). A scheduled run and an erasure it handed over
 * may overlap: the erasure's lease keeps them apart.
 * Its role reads, lists and deletes objects, uses the catalogue (Scan included), invalidates
 * the CDN paths of what it erases, and invokes itself to hand over an unfinished erasure.
 */
export class CatalogueReconciler extends Construct {
  readonly function: CapabilityFunction;
  /** The schedule, when there is one. */
  readonly rule?: events.Rule;

  constructor(scope: Construct, id: string, props: CatalogueReconcilerProps) {
    super(scope, id);
    const everyHours = props.everyHours ?? 24;
    this.function = new CapabilityFunction(this, 'Function', {
      capability: 'reconcile',
      description:
        'Scheduled: continues folder erasures whose runs died, then makes the bucket and the image catalogue agree',
      invocation: 'asynchronous',
      memorySize: 512,
      timeout: RUN_TIMEOUT,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      tracing: props.tracing,
      sourceMapStackTraces: props.sourceMapStackTraces,
      environment: {
        [ENV.bucketName]: props.storage.bucket.bucketName,
        [ENV.publicBaseUrl]: props.publicBaseUrl,
        ...environmentOf(
          {
            invalidateOnDelete: props.invalidateOnDelete,
            eraseInBackgroundAbove: props.eraseInBackgroundAbove,
            reconcileGraceSeconds: (props.grace ?? Duration.minutes(10)).toSeconds(),
          },
          [invalidationSettings, erasureSettings, reconcileSettings],
        ),
        ...(props.invalidateOnDelete && { [ENV.cdnDistributionId]: props.distribution.distributionId }),
      },
    });
    // Heads (GetObject covers HeadObject), lists (a missing key is 404, not 403) and deletes
    // objects; writes none: a backfill records what is there.
    props.storage.grantObjects(this.function, ['s3:GetObject', 's3:DeleteObject']);
    props.storage.grantListObjects(this.function);
    props.catalogue.grantUse(this.function, 'reconcile', { derivesKeys: false });
    if (props.invalidateOnDelete) props.distribution.grantCreateInvalidation(this.function);
    this.function.grantInvokeItself();
    this.function.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.hours(1) });
    const recordedInTheTable =
      'Invoked by its schedule and by itself (an erasure handed over). A run that fails leaves its cursor, and ' +
      'every running erasure, in the catalogue table, and the next run continues from there: a dead-letter queue ' +
      'or failure destination would hold nothing that is not already recorded. Failures raise the ReconcileErrors ' +
      'alarm.';
    Validations.of(this.function.function).acknowledge(
      { id: 'Serverless-LambdaDLQ', reason: recordedInTheTable },
      { id: 'Serverless-LambdaAsyncFailureDestination', reason: recordedInTheTable },
    );
    if (everyHours > 0) {
      this.rule = new events.Rule(this, 'Schedule', {
        description: 'Runs the catalogue reconciler (reconcileEveryHours)',
        schedule: events.Schedule.rate(Duration.hours(everyHours)),
        // No retries: the next scheduled run goes on from the cursor.
        targets: [new targets.LambdaFunction(this.function.function, { retryAttempts: 0 })],
      });
      Validations.of(this.rule).acknowledge({
        id: 'Serverless-EventBusDLQ',
        reason:
          'A schedule, not a stream of events: a missed run is the next run, which goes on from the cursor kept in ' +
          'the catalogue table; a dead-letter queue would only hold the time of a tick.',
      });
    }
  }
}
