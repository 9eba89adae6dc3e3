import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  METRICS,
  METRICS_NAMESPACE,
  type FunctionDimension,
  type MetricDefinition,
  type MetricName,
  type MetricRoute,
} from '../core/metric-catalogue';
import { ENV } from './env-names';

type Env = Readonly<Record<string, string | undefined>>;

/** Name of the service when `POWERTOOLS_SERVICE_NAME` is unset (local mode); the stack sets its own name. */
export const DEFAULT_SERVICE_NAME = 's3-image-proxy';

/** The service name the logger, metrics and tracer share: the stack's name, else the default. */
export function serviceNameOf(env: Env): string {
  return env[ENV.serviceName]?.trim() || DEFAULT_SERVICE_NAME;
}

/**
 * The one Powertools Metrics of a process: embedded metric format lines on stdout, which Lambda
 * sends to CloudWatch Logs and CloudWatch turns into metrics with no API call. The `service`
 * dimension is the deployment's stack name, so two deployments in one account stay apart.
 */
export function createMetrics(env: Env = process.env): Metrics {
  return new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: serviceNameOf(env),
  });
}

const UNITS = { Count: MetricUnit.Count, Bytes: MetricUnit.Bytes, Milliseconds: MetricUnit.Milliseconds };

interface Datum {
  readonly name: MetricName;
  readonly value: number;
  /** Value of the metric's extra dimension (`errorCode`, `fault`, `outcome`), when it has one. */
  readonly kind?: string;
}

/**
 * What one invocation measured, held in memory until the invocation ends. The route (and the
 * client, once known) become dimensions; nothing is published before `FunctionMetrics.publish`.
 */
export class InvocationMetrics {
  /** Client that made the request: a configured name, so a bounded dimension. */
  client: string | undefined;
  readonly data: Datum[] = [];

  constructor(public route: MetricRoute) {}

  /** Records one data point; `kind` is required for the metrics split by one. */
  add(name: MetricName, value = 1, kind?: string): this {
    const definition: MetricDefinition = METRICS[name];
    if ((definition.kind === undefined) !== (kind === undefined)) {
      throw new Error(`metric ${name} ${definition.kind ? `needs its ${definition.kind}` : 'takes no kind'}`);
    }
    this.data.push({ name, value, ...(kind !== undefined && { kind }) });
    return this;
  }
}

/**
 * A function's metrics: one `InvocationMetrics` per invocation, published when it ends, flushed
 * once per invocation as Lambda would (local mode prints the same lines to stdout).
 */
export class FunctionMetrics {
  constructor(
    private readonly metrics: Metrics,
    readonly functionName: FunctionDimension,
  ) {}

  begin(route: MetricRoute): InvocationMetrics {
    return new InvocationMetrics(route);
  }

  /**
   * Publishes what `invocation` measured: one EMF line per group of metrics that share their
   * dimensions, with the sets `[service, function]` and `[service, route, client]`. A metric split
   * by a kind (`errorCode`, …) gets one line per set, `[service, function, kind]` and
   * `[service, route, client, kind]`: Powertools prints a plain-text warning (not EMF) for a key
   * two sets of one line share. Synchronous from the first dimension to the last flush, so
   * requests served concurrently by one process (local mode) never mix their dimensions.
   * `metadata` (a request id) is kept in the log line only, never as a dimension.
   */
  publish(invocation: InvocationMetrics, metadata: Readonly<Record<string, string>> = {}): void {
    const groups = new Map<string, Datum[]>();
    for (const datum of invocation.data) {
      const definition: MetricDefinition = METRICS[datum.name];
      const key = definition.kind === undefined ? '' : `${definition.kind}=${datum.kind}`;
      groups.set(key, [...(groups.get(key) ?? []), datum]);
    }
    for (const [key, data] of groups) {
      const extra: Record<string, string> = {};
      if (key !== '') {
        const eq = key.indexOf('=');
        extra[key.slice(0, eq)] = key.slice(eq + 1);
      }
      const sets = [
        { function: this.functionName, ...extra },
        {
          route: invocation.route,
          ...(invocation.client !== undefined && { client: invocation.client }),
          ...extra,
        },
      ];
      for (const lineSets of key === '' ? [sets] : sets.map((set) => [set])) {
        for (const set of lineSets) this.metrics.addDimensions(set);
        for (const [name, value] of Object.entries(metadata)) this.metrics.addMetadata(name, value);
        for (const datum of data)
          this.metrics.addMetric(datum.name, UNITS[METRICS[datum.name].unit], datum.value);
        this.metrics.publishStoredMetrics();
      }
    }
  }
}
