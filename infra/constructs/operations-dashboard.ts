import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, type MetricFunction, type MetricName } from '../../lambdas/core/metric-catalogue';
import type { LambdaName } from '../lambda-bundling';
import type { CapabilityFunction } from './capability-function';

/** A function of the stack with its capability. */
export type OperatedFunction = readonly [LambdaName, CapabilityFunction];

export interface OperationsDashboardProps {
  /** The `service` dimension of the metrics (the stack's name); the dashboard is `<service>-operations`. */
  readonly serviceName: string;
  /** The alarms, whose states make the first row. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The API, for its requests, 4xx and 5xx. */
  readonly api: apigw.RestApi;
  /** Where S3 events whose check failed every attempt wait. */
  readonly checkFailures: sqs.IQueue;
  /** Every function: errors, throttles and concurrent executions of each. */
  readonly functions: readonly OperatedFunction[];
  /** The functions that render: their durations against their timeouts. */
  readonly renderingFunctions: readonly OperatedFunction[];
  /** The 5xx rate of each API function, in percent. */
  readonly serverErrorRates: readonly cloudwatch.IMetric[];
  /** The share of requests API Gateway refused with 429, in percent. */
  readonly throttledRate: cloudwatch.IMetric;
  /** Name of the metric counting what API Gateway answers itself (by `responseType`). */
  readonly gatewayResponsesMetric: string;
  /** One of the service's EMF metrics, for one function. */
  readonly emf: (
    name: MetricName,
    fn: MetricFunction,
    statistic?: string,
    label?: string,
  ) => cloudwatch.Metric;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The dashboard to look at first (`Operations` makes it, in its own scope, with the id
 * `Dashboard`): the alarms' states, then the API, the functions, rendering durations, checks
 * and uploads.
 */
export function addOperationsDashboard(
  scope: Construct,
  props: OperationsDashboardProps,
): cloudwatch.Dashboard {
  const service = props.serviceName;
  const search = (metricName: string, dimensions: string, label: string) =>
    new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${dimensions}} MetricName="${metricName}" service="${service}"', 'Sum', 300)`,
      label,
      period: FIVE_MINUTES,
    });
  const width = 12;
  const height = 6;
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: `${service}-operations`,
    defaultInterval: Duration.hours(3),
  });
  dashboard.addWidgets(
    new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'API: requests, 4xx and 5xx (API Gateway)',
      left: [
        props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum', label: 'requests' }),
        props.api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' }),
        props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' }),
      ],
      width,
      height,
    }),
    new cloudwatch.GraphWidget({
      title: '5xx rate per function (%) and 429 by API Gateway (%)',
      left: [...props.serverErrorRates, props.throttledRate],
      leftYAxis: { min: 0 },
      width,
      height,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Answered by API Gateway itself, by type (throttled, quota, timeout…)',
      left: [search(props.gatewayResponsesMetric, 'responseType,service', 'gateway')],
      width,
      height,
    }),
    new cloudwatch.GraphWidget({
      title: 'Storage faults by function and kind; refusals by error code',
      left: [search('StorageFaults', 'fault,function,service', 'faults')],
      right: [search('Refusals', 'errorCode,function,service', 'refusals')],
      width,
      height,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Lambda errors and throttles per function',
      left: props.functions.map(([fn, capability]) =>
        capability.function.metricErrors({
          period: FIVE_MINUTES,
          statistic: 'Sum',
          label: `${fn} errors`,
        }),
      ),
      right: props.functions.map(([fn, capability]) =>
        capability.function.metricThrottles({
          period: FIVE_MINUTES,
          statistic: 'Sum',
          label: `${fn} throttles`,
        }),
      ),
      width,
      height,
    }),
    new cloudwatch.GraphWidget({
      title: 'Rendering: duration p50 / p99 / max against the timeout (ms)',
      left: props.renderingFunctions.flatMap(([fn, capability]) =>
        ['p50', 'p99', 'Maximum'].map((statistic) =>
          capability.function.metricDuration({
            period: FIVE_MINUTES,
            statistic,
            label: `${fn} ${statistic}`,
          }),
        ),
      ),
      leftAnnotations: props.renderingFunctions.map(([fn, capability]) => ({
        value: capability.timeout.toMilliseconds(),
        label: `${fn} timeout`,
      })),
      width,
      height,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Presigned uploads: checks by outcome; failures queued',
      left: [search('Checks', 'function,outcome,service', 'checks')],
      right: [
        props.checkFailures.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
          label: 'failed checks queued',
        }),
      ],
      width,
      height,
    }),
    new cloudwatch.GraphWidget({
      title: 'Presigned uploads: time to servable (ms)',
      left: ['p50', 'p99', 'Maximum'].map((statistic) =>
        props.emf('TimeToServable', 'checkUpload', statistic, `time to servable ${statistic}`),
      ),
      width,
      height,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Uploads and presigned uploads per client',
      left: [search('Uploads', 'client,route,service', 'uploads')],
      right: [search('PresignedUploads', 'client,route,service', 'presigned')],
      width,
      height,
    }),
    new cloudwatch.GraphWidget({
      title: 'Concurrent executions per function (ceiling: reserved concurrency)',
      left: props.functions.map(([fn, capability]) =>
        capability.function.metric('ConcurrentExecutions', {
          period: FIVE_MINUTES,
          statistic: 'Maximum',
          label: fn,
        }),
      ),
      width,
      height,
    }),
  );
  return dashboard;
}
