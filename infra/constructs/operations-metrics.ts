import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  METRICS,
  METRICS_NAMESPACE,
  type MetricFunction,
  type MetricName,
} from '../../lambdas/core/metric-catalogue';

/** The period of every alarm and graph of the operations. */
export const FIVE_MINUTES = Duration.minutes(5);

/** Gateway response types counted by the `GatewayResponses` metric filter (API Gateway answered, no function ran). */
export const GATEWAY_RESPONSES_METRIC = 'GatewayResponses';

/** One of the service's EMF metrics, for one function. */
export type EmfMetricOf = (
  name: MetricName,
  fn: MetricFunction,
  statistic?: string,
  label?: string,
) => cloudwatch.Metric;

/** The EMF metrics the functions of `service` emit, over five minutes (summed unless told). */
export function emfMetricsOf(service: string): EmfMetricOf {
  return (name, fn, statistic = 'Sum', label) =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { service, function: fn },
      statistic,
      period: FIVE_MINUTES,
      ...(label !== undefined && { label }),
      ...(METRICS[name].unit === 'Count' && { unit: cloudwatch.Unit.COUNT }),
    });
}

/**
 * Counts API Gateway's own answers (throttled, quota, integration timeout…) from the stage's
 * access log, as `GatewayResponses` by `responseType`: no function ran, so no EMF line counts them.
 */
export function addGatewayResponsesFilter(scope: Construct, logGroup: logs.ILogGroup, service: string): void {
  new logs.MetricFilter(scope, 'GatewayResponsesFilter', {
    logGroup,
    filterName: `${service}-gateway-responses`,
    filterPattern: logs.FilterPattern.any(
      logs.FilterPattern.stringValue('$.errorType', '=', '*_*'),
      logs.FilterPattern.stringValue('$.errorType', '=', 'THROTTLED'),
      logs.FilterPattern.stringValue('$.errorType', '=', 'UNAUTHORIZED'),
    ),
    metricNamespace: METRICS_NAMESPACE,
    metricName: GATEWAY_RESPONSES_METRIC,
    metricValue: '1',
    dimensions: { service: '$.service', responseType: '$.errorType' },
    unit: cloudwatch.Unit.COUNT,
  });
}

/** How many answers of one type API Gateway gave itself, over five minutes (that filter's metric). */
export function gatewayResponsesMetric(service: string, responseType: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: GATEWAY_RESPONSES_METRIC,
    dimensionsMap: { service, responseType },
    statistic: 'Sum',
    period: FIVE_MINUTES,
    label: responseType,
  });
}
