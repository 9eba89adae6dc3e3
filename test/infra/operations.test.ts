import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALARM_THRESHOLDS } from '../../infra/constructs/operations';
import { METRICS_NAMESPACE } from '../../lambdas/core/metric-catalogue';
import { acknowledgements, isCdkBucketDeployment } from './support/acknowledgements';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import { logicalIdOf, type Resources } from './support/template-queries';

type Alarm = { Properties: Record<string, any> };

/** The alarms of a template, by their name without the stack prefix. */
function alarmsOf(template: Template): Record<string, Alarm> {
  return Object.fromEntries(
    Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).map((alarm) => [
      String(alarm.Properties.AlarmName).replace(/^S3ImageProxy-/, ''),
      alarm as Alarm,
    ]),
  );
}

/** The metric an alarm's math expression uses under `id`. */
function queryMetric(alarm: Alarm, id: string): Record<string, any> {
  return alarm.Properties.Metrics.find((query: { Id: string }) => query.Id === id).MetricStat.Metric;
}

const fnRef = (template: Template, name: string) => ({
  Ref: logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`),
});

describe('operations (default config)', () => {
  let template: Template;
  let alarms: Record<string, Alarm>;

  beforeAll(() => {
    template = synthesize(TWO_CLIENTS_CONTEXT).template;
    alarms = alarmsOf(template);
  });

  it('creates exactly the alarms on-call needs, none of them notifying anyone without a topic', () => {
    // Assess
    expect(Object.keys(alarms).sort()).toEqual(
      [
        'UploadCheckFailuresQueued',
        'UploadServerErrorRate',
        'PresignServerErrorRate',
        'ObjectsServerErrorRate',
        'ApiThrottledRate',
        'UploadThrottles',
        'PresignThrottles',
        'ObjectsThrottles',
        'CheckUploadThrottles',
        'UploadErrors',
        'CheckUploadErrors',
        'UploadDurationNearTimeout',
        'CheckUploadDurationNearTimeout',
        'RenderThrottles',
        'RenderErrors',
        'RenderDurationNearTimeout',
        'ReconcileThrottles',
        'ReconcileErrors',
      ].sort(),
    );
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      expect(String(alarm.Properties.AlarmDescription).length).toBeGreaterThan(60);
    }
  });

  it('alarms as soon as one failed check waits in the failure queue', () => {
    // Prepare
    const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'UploadCheckFailures');

    // Assess
    expect(alarms.UploadCheckFailuresQueued!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each(['upload', 'presign', 'objects'])(
    'alarms on the %s function’s 5xx rate from its own EMF metrics, above a minimum of requests',
    (fn) => {
      // Prepare
      const alarm = alarms[`${fn[0]!.toUpperCase()}${fn.slice(1)}ServerErrorRate`]!;

      // Assess
      expect(alarm.Properties).toMatchObject({
        Threshold: ALARM_THRESHOLDS.serverErrorRatePercent,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      const expression = alarm.Properties.Metrics.find((query: { Expression?: string }) => query.Expression);
      expect(expression.Expression).toBe(
        `IF(requests_${fn} >= ${ALARM_THRESHOLDS.minimumRequests}, 100 * FILL(errors_${fn}, 0) / requests_${fn}, 0)`,
      );
      for (const [id, name] of [
        [`requests_${fn}`, 'Requests'],
        [`errors_${fn}`, 'ServerErrors'],
      ]) {
        expect(queryMetric(alarm, id!)).toEqual({
          Namespace: METRICS_NAMESPACE,
          MetricName: name,
          Dimensions: expect.arrayContaining([
            { Name: 'service', Value: 'S3ImageProxy' },
            { Name: 'function', Value: fn },
          ]),
        });
      }
    },
  );

  it('alarms on throttles of every function (its reserved concurrency reached) and on a high share of 429s at the gateway', () => {
    // Assess
    for (const fn of ['Upload', 'Presign', 'Objects', 'CheckUpload', 'Render']) {
      expect(alarms[`${fn}Throttles`]!.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Dimensions: [{ Name: 'FunctionName', Value: fnRef(template, fn) }],
        Statistic: 'Sum',
        Threshold: 1,
      });
    }
    const throttled = alarms.ApiThrottledRate!;
    expect(throttled.Properties.Threshold).toBe(ALARM_THRESHOLDS.throttledRatePercent);
    expect(queryMetric(throttled, 'throttled')).toEqual({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'GatewayResponses',
      Dimensions: expect.arrayContaining([
        { Name: 'service', Value: 'S3ImageProxy' },
        { Name: 'responseType', Value: 'THROTTLED' },
      ]),
    });
    expect(queryMetric(throttled, 'api_requests')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Count',
    });
  });

  it.each([
    ['Upload', 20],
    ['CheckUpload', 60],
    ['Render', 25],
  ])(
    'alarms on the rendering %s function’s errors and on a run near its %i s timeout',
    (fn, timeoutSeconds) => {
      // Assess
      expect(alarms[`${fn}Errors`]!.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: fnRef(template, fn) }],
        Threshold: 1,
      });
      expect(alarms[`${fn}DurationNearTimeout`]!.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Statistic: 'Maximum',
        Threshold: timeoutSeconds * 1000 * ALARM_THRESHOLDS.durationShareOfTimeout,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    },
  );

  it('counts what API Gateway answers itself with a metric filter on the access log, by response type and service', () => {
    // Prepare
    const accessLogs = logicalIdOf(template, 'AWS::Logs::LogGroup', 'ApiAccessLogs');

    // Assess
    template.resourceCountIs('AWS::Logs::MetricFilter', 1);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: accessLogs },
      FilterPattern:
        '{ ($.errorType = "*_*") || ($.errorType = "THROTTLED") || ($.errorType = "UNAUTHORIZED") }',
      MetricTransformations: [
        {
          MetricNamespace: METRICS_NAMESPACE,
          MetricName: 'GatewayResponses',
          MetricValue: '1',
          Unit: 'Count',
          Dimensions: [
            { Key: 'service', Value: '$.service' },
            { Key: 'responseType', Value: '$.errorType' },
          ],
        },
      ],
    });
  });

  it('draws one dashboard whose first row is the state of every alarm', () => {
    // Act
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard') as Resources);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);

    // Assess
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties.DashboardName).toBe('S3ImageProxy-operations');
    expect(body).toContain('"type\\":\\"alarm\\"');
    for (const title of [
      '5xx rate per function',
      'Storage faults by function and kind',
      'Rendering: duration',
      'time to servable',
      'Concurrent executions per function',
    ])
      expect(body).toContain(title);
  });

  it('sets the ceilings: a stage-wide throttle, reserved concurrency per function, the presign counter table', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
        }),
      ],
    });
    for (const [fn, reserved] of [
      ['Upload', 10],
      ['Presign', 5],
      ['Objects', 5],
      ['CheckUpload', 5],
      ['Render', 10],
    ] as const) {
      const id = logicalIdOf(template, 'AWS::Lambda::Function', `${fn}Function`);
      expect((template.toJSON().Resources as Resources)[id]!.Properties.ReservedConcurrentExecutions).toBe(
        reserved,
      );
    }
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('traces nothing by default, and says why next to each resource', () => {
    // Assess
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function') as Resources))
      expect(fn.Properties.TracingConfig).toBeUndefined();
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: false });
    // The project's six functions; CDK's own BucketDeployment function is acknowledged apart.
    const acks = acknowledgements(synthesize(TWO_CLIENTS_CONTEXT).stack).filter(
      (ack) => !isCdkBucketDeployment(ack),
    );
    const rules = acks.map((ack) => ack.rule);
    expect(rules.filter((rule) => rule === 'Serverless-LambdaTracing')).toHaveLength(6);
    expect(rules).toContain('Serverless-APIGWXrayEnabled');
  });
});

describe('operations (alarm e-mail, tracing, no reserved concurrency, ceilings set)', () => {
  let template: Template;
  const context = {
    ...TWO_CLIENTS_CONTEXT,
    alarmEmail: 'ops@example.com',
    tracing: true,
    reservedConcurrency: 'off',
    apiRateLimit: 30,
    apiBurstLimit: 60,
    presignUploadLimit: 200,
    presignUploadWindowSeconds: 600,
  };

  beforeAll(() => {
    template = synthesize(context).template;
  });

  it('sends every alarm and its return to OK to a TLS-only topic with the e-mail subscribed', () => {
    // Prepare
    const topic = logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmTopic');

    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topic },
    });
    for (const alarm of Object.values(alarmsOf(template))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topic }]);
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ],
      },
    });
  });

  it('traces the stage and every function actively', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    for (const fn of ['Upload', 'Presign', 'Objects', 'CheckUpload', 'Render']) {
      const id = logicalIdOf(template, 'AWS::Lambda::Function', `${fn}Function`);
      const properties = (template.toJSON().Resources as Resources)[id]!.Properties;
      expect(properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('true');
    }
  });

  it('reserves no concurrency when told off, and passes the stage throttle and the presign ceiling through', () => {
    // Assess
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function') as Resources))
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 30, ThrottlingBurstLimit: 60 })],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PRESIGN_UPLOAD_LIMIT: '200',
          PRESIGN_UPLOAD_WINDOW_SECONDS: '600',
        }),
      },
    });
  });

  it('alarms to an existing topic when given one, creating none', () => {
    // Act
    const { template: withTopic } = synthesize({
      ...TWO_CLIENTS_CONTEXT,
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alarms',
    });

    // Assess
    withTopic.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of Object.values(alarmsOf(withTopic)))
      expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:eu-west-1:123456789012:ops-alarms']);
  });
});
