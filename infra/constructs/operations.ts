import { Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MetricFunction } from '../../lambdas/core/metric-catalogue';
import type { LambdaName } from '../lambda-bundling';
import type { CapabilityFunction } from './capability-function';
import { addOperationsDashboard, type OperatedFunction } from './operations-dashboard';
import {
  addGatewayResponsesFilter,
  type EmfMetricOf,
  emfMetricsOf,
  FIVE_MINUTES,
  GATEWAY_RESPONSES_METRIC,
  gatewayResponsesMetric,
} from './operations-metrics';

/** Thresholds of the alarms: what docs/operations.md states. */
export const ALARM_THRESHOLDS = {
  /** Percentage of a function's API requests answered with a 5xx, over 5 minutes. */
  serverErrorRatePercent: 5,
  /** Requests in 5 minutes below which a 5xx rate is not judged (one failure in two requests is no trend). */
  minimumRequests: 10,
  /** Percentage of API requests refused with 429 by API Gateway (usage plans or the stage ceiling), over 5 minutes. */
  throttledRatePercent: 10,
  /** A rendering function's slowest run, as a share of its timeout. */
  durationShareOfTimeout: 0.8,
} as const;

export interface OperationsProps {
  /** The `service` dimension of the functions' metrics: the stack's name. */
  readonly serviceName: string;
  /**
   * Every function, by capability: the API and check functions, and the rendering function of
   * renditions at the CDN when there is one (it emits none of the API's metrics).
   */
  readonly functions: Readonly<Record<MetricFunction, CapabilityFunction>> & {
    readonly render?: CapabilityFunction;
    /** The scheduled catalogue reconciler (`CatalogueReconciler`): its failed runs alarm. */
    readonly reconcile?: CapabilityFunction;
  };
  /** The API, for its request count. */
  readonly api: apigw.RestApi;
  /** The stage access log group (JSON records with `service`, `status` and `errorType`). */
  readonly apiAccessLogs: logs.ILogGroup;
  /** Where S3 events whose check failed every attempt wait. */
  readonly checkFailures: sqs.IQueue;
  /**
   * Where alarms (and their return to OK) are sent.
   * @default - alarms only change state in CloudWatch
   */
  readonly alarmTopic?: sns.ITopic;
}

const API_FUNCTIONS: readonly MetricFunction[] = ['upload', 'presign', 'objects'];
const RENDERING_FUNCTIONS: readonly LambdaName[] = ['upload', 'checkUpload', 'render'];
const TITLE: Readonly<Record<LambdaName, string>> = {
  upload: 'Upload',
  presign: 'Presign',
  objects: 'Objects',
  checkUpload: 'CheckUpload',
  render: 'Render',
  reconcile: 'Reconcile',
};
/** What a throttled invocation means for its callers. */
const THROTTLED: Readonly<Partial<Record<LambdaName, string>>> = {
  checkUpload: 'S3 events wait and are retried for up to 6 hours.',
  render:
    'CloudFront answered the viewer with a 5xx for a rendition not stored yet; the next request tries again.',
  reconcile: 'a scheduled run did not start; the next one goes on from the cursor.',
};

type AlarmOptions = cloudwatch.CreateAlarmOptions & { readonly metric: cloudwatch.IMetric };

/**
 * What on-call needs: the alarms (failed checks waiting in their queue, 5xx rate per API
 * function, throttles, the rendering functions' errors and durations near their timeout), the
 * metric filter that counts what API Gateway answers itself, and one dashboard with the graphs
 * to look at first. Every alarm notifies `alarmTopic` when there is one.
 */
export class Operations extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  private readonly service: string;
  private readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.service = props.serviceName;
    this.alarmTopic = props.alarmTopic;
    const emf = emfMetricsOf(this.service);
    addGatewayResponsesFilter(this, props.apiAccessLogs, this.service);

    // The order the alarms are made in is the order of the dashboard's alarm row.
    this.alarmOnFailedChecks(props.checkFailures);
    const serverErrorRates = this.alarmOnServerErrorRates(emf);
    const throttledRate = this.alarmOnApiThrottledRate(props.api);
    this.alarmOnFunctionThrottles(functionsOf(props));
    this.alarmOnRenderingFailures(renderingFunctionsOf(props));
    if (props.functions.reconcile) this.alarmOnFailedReconciles(props.functions.reconcile);

    this.dashboard = addOperationsDashboard(this, {
      serviceName: this.service,
      alarms: this.alarms,
      api: props.api,
      checkFailures: props.checkFailures,
      functions: functionsOf(props),
      renderingFunctions: renderingFunctionsOf(props),
      serverErrorRates,
      throttledRate,
      gatewayResponsesMetric: GATEWAY_RESPONSES_METRIC,
      emf,
    });
  }

  /** An alarm named `<service>-<alarmId>`, quiet on missing data, notifying the topic if any. */
  private addAlarm(alarmId: string, options: AlarmOptions): cloudwatch.Alarm {
    const created = new cloudwatch.Alarm(this, alarmId, {
      alarmName: `${this.service}-${alarmId}`,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...options,
    });
    if (this.alarmTopic) {
      created.addAlarmAction(new SnsAction(this.alarmTopic));
      created.addOkAction(new SnsAction(this.alarmTopic));
    }
    this.alarms.push(created);
    return created;
  }

  /** One failed check waiting in the failure queue is one upload not served. */
  private alarmOnFailedChecks(checkFailures: sqs.IQueue): void {
    this.addAlarm('UploadCheckFailuresQueued', {
      metric: checkFailures.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        'A presigned upload failed its check on every attempt (or waited 6 hours): it is not served. Read the event ' +
        'in the UploadCheckFailuresQueueUrl queue, find the failure in the check function’s log by its key, fix the ' +
        'cause, then upload again (the quarantined copy expires after a day).',
    });
  }

  /** The 5xx rate of each API function, alarmed on; the rates are returned for the dashboard. */
  private alarmOnServerErrorRates(emf: EmfMetricOf): cloudwatch.IMetric[] {
    const { minimumRequests, serverErrorRatePercent } = ALARM_THRESHOLDS;
    return API_FUNCTIONS.map((fn) => {
      const rate = new cloudwatch.MathExpression({
        // Ids unique per function: the dashboard draws every rate in one graph.
        expression: `IF(requests_${fn} >= ${minimumRequests}, 100 * FILL(errors_${fn}, 0) / requests_${fn}, 0)`,
        usingMetrics: { [`requests_${fn}`]: emf('Requests', fn), [`errors_${fn}`]: emf('ServerErrors', fn) },
        period: FIVE_MINUTES,
        label: `${fn} 5xx %`,
      });
      this.addAlarm(`${TITLE[fn]}ServerErrorRate`, {
        metric: rate,
        threshold: serverErrorRatePercent,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription:
          `More than ${serverErrorRatePercent} % of the ${fn} function’s requests were answered with a 5xx in 2 of ` +
          '3 five-minute periods. Its "request failed" log lines name the cause (S3 status and request id). ' +
          'StorageFaults on the dashboard says whether storage is the cause.',
      });
      return rate;
    });
  }

  /** The share of API requests API Gateway refused with 429, alarmed on and returned for the dashboard. */
  private alarmOnApiThrottledRate(api: apigw.RestApi): cloudwatch.IMetric {
    const { minimumRequests, throttledRatePercent } = ALARM_THRESHOLDS;
    const throttledRate = new cloudwatch.MathExpression({
      expression: `IF(api_requests >= ${minimumRequests}, 100 * FILL(throttled, 0) / api_requests, 0)`,
      usingMetrics: {
        api_requests: api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
        throttled: gatewayResponsesMetric(this.service, 'THROTTLED'),
      },
      period: FIVE_MINUTES,
      label: '429 by API Gateway %',
    });
    this.addAlarm('ApiThrottledRate', {
      metric: throttledRate,
      threshold: throttledRatePercent,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription:
        `API Gateway refused more than ${throttledRatePercent} % of requests with 429 (THROTTLED) in 5 minutes: ` +
        'clients over their usage plan, or everyone over the stage ceiling (apiRateLimit, apiBurstLimit).',
    });
    return throttledRate;
  }

  /** Any invocation refused at a function's reserved concurrency. */
  private alarmOnFunctionThrottles(functions: readonly OperatedFunction[]): void {
    for (const [fn, capability] of functions) {
      this.addAlarm(`${TITLE[fn]}Throttles`, {
        metric: capability.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription:
          (fn === 'reconcile'
            ? `The ${fn} function refused invocations at the account's concurrency limit (it reserves none): `
            : `The ${fn} function refused invocations at its reserved concurrency (reservedConcurrency.${fn}): `) +
          (THROTTLED[fn] ?? 'callers got a 5xx from API Gateway and retry.'),
      });
    }
  }

  /** A run of the scheduled catalogue reconciler that failed. */
  private alarmOnFailedReconciles(reconcile: CapabilityFunction): void {
    this.addAlarm('ReconcileErrors', {
      metric: reconcile.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        'A run of the catalogue reconciler failed (storage errors, or its 15 minute timeout): the next scheduled ' +
        'run goes on from its cursor, but running erasures and repairs wait until then. Its log group has the error.',
    });
  }

  /** A rendering function that crashed, or whose slowest run came near its timeout. */
  private alarmOnRenderingFailures(renderingFunctions: readonly OperatedFunction[]): void {
    const { durationShareOfTimeout } = ALARM_THRESHOLDS;
    for (const [fn, capability] of renderingFunctions) {
      this.addAlarm(`${TITLE[fn]}Errors`, {
        metric: capability.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription:
          `The ${fn} function crashed, ran out of memory or timed out (Lambda Errors; answered 5xx are ` +
          (fn === 'render' ? 'in its "request failed" log lines' : 'counted by ServerErrors instead') +
          '). Its log group has the error and the platform report.',
      });
      this.addAlarm(`${TITLE[fn]}DurationNearTimeout`, {
        metric: capability.function.metricDuration({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: capability.timeout.toMilliseconds() * durationShareOfTimeout,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription:
          `A run of the ${fn} function took ${Math.round(durationShareOfTimeout * 100)} % of its ` +
          `${capability.timeout.toSeconds()} s timeout or more: large or hostile images, or slow storage. ` +
          'Runs past the timeout fail (Errors).',
      });
    }
  }
}

/** The functions given, with their capability, in the order given. */
function functionsOf(props: OperationsProps): OperatedFunction[] {
  return (Object.entries(props.functions) as Array<[LambdaName, CapabilityFunction | undefined]>).filter(
    (entry): entry is [LambdaName, CapabilityFunction] => entry[1] !== undefined,
  );
}

/** Those of them that render images: their durations are watched against their timeouts. */
function renderingFunctionsOf(props: OperationsProps): OperatedFunction[] {
  return functionsOf(props).filter(([fn]) => RENDERING_FUNCTIONS.includes(fn));
}

/**
 * The topic alarms notify: an existing one (`alarmTopicArn`), or one made for an e-mail address
 * (`alarmEmail`, which must confirm the subscription from the message SNS sends it).
 */
export function alarmTopicOf(
  scope: Construct,
  target: { readonly alarmEmail?: string; readonly alarmTopicArn?: string },
): sns.ITopic | undefined {
  if (target.alarmTopicArn !== undefined)
    return sns.Topic.fromTopicArn(scope, 'AlarmTopic', target.alarmTopicArn);
  if (target.alarmEmail === undefined) return undefined;
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: `${Stack.of(scope).stackName} alarms`,
    enforceSSL: true,
  });
  topic.addSubscription(new EmailSubscription(target.alarmEmail));
  Validations.of(topic).acknowledge(
    {
      id: 'AwsSolutions-SNS2',
      reason:
        'The topic carries CloudWatch alarm notifications only (alarm names, states and metric values; no image, ' +
        'key or credential). Server-side encryption would need a customer managed KMS key whose policy lets ' +
        'CloudWatch publish (the AWS managed SNS key does not), at a fixed monthly cost; TLS is enforced.',
    },
    {
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'The one subscription is the ops e-mail address. An alarm notification that cannot be delivered loses ' +
        'nothing: the alarm’s state and history stay in CloudWatch and on the dashboard, and SNS retries e-mail ' +
        'delivery itself; a dead-letter queue would be one more queue nobody reads.',
    },
  );
  return topic;
}
