import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { reconcileCapability } from '../../lambdas/capabilities/reconcile';
import { grantCapability } from '../capability-grants';
import { environmentOf, type SettingValues } from '../capability-settings';
import { CapabilityFunction } from './capability-function';
import type { ImageCatalogue } from './image-catalogue';
import type { ImageStorage } from './image-storage';

export interface CatalogueReconcilerProps {
  readonly storage: ImageStorage;
  readonly catalogue: ImageCatalogue;
  /** The CDN, whose paths an erasure the reconciler continues invalidates. */
  readonly distribution: cloudfront.IDistribution;
  /**
   * What the function's environment is written from, feature by feature as its manifest
   * (`reconcileCapability.settings`) declares: the public base URL, `invalidateOnDelete` (which
   * also decides its invalidation grant), `eraseInBackgroundAbove`, the objects function's.
   */
  readonly settings: SettingValues;
  /**
   * Hours between scheduled runs (`reconcileEveryHours`); 0: no schedule, the function runs
   * only when invoked (`aws lambda invoke`, or `npm run catalogue:reconcile` from a laptop).
   * @default 24
   */
  readonly everyHours?: number;
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
      description: reconcileCapability.description,
      invocation: 'asynchronous',
      memorySize: 512,
      timeout: RUN_TIMEOUT,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      tracing: props.tracing,
      sourceMapStackTraces: props.sourceMapStackTraces,
      environment: environmentOf(reconcileCapability.settings, props.settings),
    });
    grantCapability(this.function, reconcileCapability.grants, {
      config: props.settings.config,
      storage: props.storage,
      catalogue: props.catalogue,
      distribution: props.distribution,
    });
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
