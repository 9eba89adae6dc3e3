import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../lambdas/core/metric-catalogue';
import type { LambdaName } from '../lambda-bundling';
import type { CapabilityFunction } from './capability-function';
import { type EmfMetricOf, FIVE_MINUTES } from './operations-metrics';

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
  readonly emf: EmfMetricOf;
}

/** Half of the dashboard's 24 columns: two graphs a row. */
const HALF_WIDTH = 12;
const GRAPH_HEIGHT = 6;
const LATENCY_STATISTICS = ['p50', 'p99', 'Maximum'];

/**
 * The dashboard to look at first (`Operations` makes it, in its own scope, with the id
 * `Dashboard`): the alarms' states, then the API, the functions, rendering durations, checks
 * and uploads.
 */
export function addOperationsDashboard(
  scope: Construct,
  props: OperationsDashboardProps,
): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: `${props.serviceName}-operations`,
    defaultInterval: Duration.hours(3),
  });
  const rows = [
    [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 })],
    apiRow(props),
    refusalsRow(props),
    functionsRow(props),
    presignedUploadsRow(props),
    uploadsRow(props),
  ];
  for (const row of rows) dashboard.addWidgets(...row);
  return dashboard;
}

/** A graph of half the dashboard's width. */
function graph(props: cloudwatch.GraphWidgetProps): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ width: HALF_WIDTH, height: GRAPH_HEIGHT, ...props });
}

/** Every series of one of the service's metrics, summed over five minutes (a CloudWatch SEARCH). */
function searchOf(
  service: string,
  metricName: string,
  dimensions: string,
  label: string,
): cloudwatch.IMetric {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimensions}} MetricName="${metricName}" service="${service}"', 'Sum', 300)`,
    label,
    period: FIVE_MINUTES,
  });
}

/** The API as API Gateway counts it, and the 5xx and 429 rates the alarms watch. */
function apiRow(props: OperationsDashboardProps): cloudwatch.IWidget[] {
  return [
    graph({
      title: 'API: requests, 4xx and 5xx (API Gateway)',
      left: [
        props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum', label: 'requests' }),
        props.api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' }),
        props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' }),
      ],
    }),
    graph({
      title: '5xx rate per function (%) and 429 by API Gateway (%)',
      left: [...props.serverErrorRates, props.throttledRate],
      leftYAxis: { min: 0 },
    }),
  ];
}

/** What API Gateway answered itself; storage faults and the refusals of the functions. */
function refusalsRow(props: OperationsDashboardProps): cloudwatch.IWidget[] {
  const service = props.serviceName;
  return [
    graph({
      title: 'Answered by API Gateway itself, by type (throttled, quota, timeout…)',
      left: [searchOf(service, props.gatewayResponsesMetric, 'responseType,service', 'gateway')],
    }),
    graph({
      title: 'Storage faults by function and kind; refusals by error code',
      left: [searchOf(service, 'StorageFaults', 'fault,function,service', 'faults')],
      right: [searchOf(service, 'Refusals', 'errorCode,function,service', 'refusals')],
    }),
  ];
}

/** Lambda's errors and throttles of every function; rendering durations against their timeouts. */
function functionsRow(props: OperationsDashboardProps): cloudwatch.IWidget[] {
  return [
    graph({
      title: 'Lambda errors and throttles per function',
      left: props.functions.map(([fn, capability]) =>
        capability.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: `${fn} errors` }),
      ),
      right: props.functions.map(([fn, capability]) =>
        capability.function.metricThrottles({
          period: FIVE_MINUTES,
          statistic: 'Sum',
          label: `${fn} throttles`,
        }),
      ),
    }),
    graph({
      title: 'Rendering: duration p50 / p99 / max against the timeout (ms)',
      left: props.renderingFunctions.flatMap(([fn, capability]) =>
        LATENCY_STATISTICS.map((statistic) =>
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
    }),
  ];
}

/** The checks of presigned uploads, the failures queued, and how long an upload takes to be served. */
function presignedUploadsRow(props: OperationsDashboardProps): cloudwatch.IWidget[] {
  return [
    graph({
      title: 'Presigned uploads: checks by outcome; failures queued',
      left: [searchOf(props.serviceName, 'Checks', 'function,outcome,service', 'checks')],
      right: [
        props.checkFailures.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
          label: 'failed checks queued',
        }),
      ],
    }),
    graph({
      title: 'Presigned uploads: time to servable (ms)',
      left: LATENCY_STATISTICS.map((statistic) =>
        props.emf('TimeToServable', 'checkUpload', statistic, `time to servable ${statistic}`),
      ),
    }),
  ];
}

/** Uploads per client, and how close each function runs to its reserved concurrency. */
function uploadsRow(props: OperationsDashboardProps): cloudwatch.IWidget[] {
  return [
    graph({
      title: 'Uploads and presigned uploads per client',
      left: [searchOf(props.serviceName, 'Uploads', 'client,route,service', 'uploads')],
      right: [searchOf(props.serviceName, 'PresignedUploads', 'client,route,service', 'presigned')],
    }),
    graph({
      title: 'Concurrent executions per function (ceiling: reserved concurrency)',
      left: props.functions.map(([fn, capability]) =>
        capability.function.metric('ConcurrentExecutions', {
          period: FIVE_MINUTES,
          statistic: 'Maximum',
          label: fn,
        }),
      ),
    }),
  ];
}
