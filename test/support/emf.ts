import { createMetrics, FunctionMetrics } from '../../lambdas/adapters/metrics';
import type { FunctionDimension } from '../../lambdas/core/metric-catalogue';

/** One embedded-metric-format line, as CloudWatch reads it from a function's output. */
export interface EmfLine {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<readonly string[]>;
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string }>;
    }>;
  };
  readonly [key: string]: unknown;
}

/** Every EMF line in captured output (other lines, such as log lines, are skipped). */
export function parseEmfLines(output: string): EmfLine[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as EmfLine);
}

/** One data point: a metric of a line, with the dimension values of that line's dimension sets. */
export interface EmfDatum {
  readonly namespace: string;
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /** Each dimension set of the line, with its values. */
  readonly dimensionSets: ReadonlyArray<Readonly<Record<string, string>>>;
}

/** The data points of EMF lines, one per metric value (a metric given twice in a line counts twice). */
export function emfData(lines: readonly EmfLine[]): EmfDatum[] {
  return lines.flatMap((line) =>
    line._aws.CloudWatchMetrics.flatMap((directive) => {
      const dimensionSets = directive.Dimensions.map((set) =>
        Object.fromEntries(set.map((name) => [name, String(line[name])])),
      );
      return directive.Metrics.flatMap((metric) => {
        const raw = line[metric.Name];
        const values = Array.isArray(raw) ? (raw as number[]) : [raw as number];
        return values.map((value) => ({
          namespace: directive.Namespace,
          name: metric.Name,
          unit: metric.Unit,
          value,
          dimensionSets,
        }));
      });
    }),
  );
}

/** The values of `name` published under a dimension set equal to `dimensions` (service excluded). */
export function valuesOf(
  data: readonly EmfDatum[],
  name: string,
  dimensions: Readonly<Record<string, string>>,
): number[] {
  const wanted = JSON.stringify(Object.entries(dimensions).sort());
  return data
    .filter(
      (datum) =>
        datum.name === name &&
        datum.dimensionSets.some((set) => {
          const { service: _service, ...rest } = set;
          return JSON.stringify(Object.entries(rest).sort()) === wanted;
        }),
    )
    .map((datum) => datum.value);
}

/**
 * A function's metrics that really print EMF lines (tests run with `POWERTOOLS_METRICS_DISABLED`
 * set, so the others stay quiet), with the `service` dimension `test`.
 */
export function printingMetrics(functionName: FunctionDimension): FunctionMetrics {
  const before = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  try {
    return new FunctionMetrics(createMetrics({ POWERTOOLS_SERVICE_NAME: 'test' }), functionName);
  } finally {
    if (before === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = before;
  }
}

/** A function's metrics for tests that do not look at them: recorded, never printed. */
export function quietMetrics(functionName: FunctionDimension): FunctionMetrics {
  const before = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new FunctionMetrics(createMetrics({}), functionName);
  } finally {
    if (before === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = before;
  }
}

/**
 * The lines of captured output that are not one JSON object each: on Lambda every line of a
 * function's output should be a JSON log record or an EMF line, which CloudWatch can read;
 * anything else (a library's plain-text warning) is noise in the logs and never a metric.
 */
export function plainTextLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed !== 'object' || parsed === null || Array.isArray(parsed);
      } catch {
        return true;
      }
    });
}
