import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  ESBUILD_OPTIONS,
  LAMBDA_ARCHITECTURE,
  LAMBDA_ENTRIES,
  lambdaModuleAliases,
  RENDERING_LAMBDAS,
  REPO_ROOT,
  type LambdaArchitecture,
  type LambdaName,
} from '../lambda-bundling';
import { onFirstUseBundling } from '../on-first-use-bundling';
import { checkRenderRuntime, renderRuntimeBundling } from '../render-runtime';

export interface CapabilityFunctionProps {
  /** Which entry of `LAMBDA_ENTRIES` this function runs. */
  readonly capability: LambdaName;
  /** What the function does, shown in the console. */
  readonly description: string;
  /**
   * Environment variables, by the names of `lambdas/adapters/env-names.ts`. More can be
   * merged in later with `addEnvironment`; nothing is overwritten.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Memory in MiB; CPU scales with it.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Longest run. S3 calls have 5 s per attempt and 3 attempts; API Gateway waits 29 s.
   * @default Duration.seconds(20)
   */
  readonly timeout?: Duration;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Whether the log group outlives the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Concurrent executions reserved for the function, which are also its ceiling: a cost bound that
   * holds whatever arrives (requests over it are throttled).
   * @default - unreserved: the account's pool, up to its limit
   */
  readonly reservedConcurrency?: number;
  /**
   * Active X-Ray tracing (the handlers' Powertools Tracer adds the S3 calls as subsegments).
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Node's `--enable-source-maps`: stack traces in the logs point at the TypeScript sources.
   * Off by default: it costs ≈17 ms and 14 MiB on every cold start; without it, stacks show
   * positions in the bundle, which its source map (shipped in the asset) translates.
   * @default false
   */
  readonly sourceMapStackTraces?: boolean;
  /**
   * How the function is invoked: `synchronous` (API Gateway waits for its answer) or
   * `asynchronous` (an event source; whoever sets that up configures where failures go).
   * @default 'synchronous'
   */
  readonly invocation?: 'synchronous' | 'asynchronous';
  /**
   * Who invokes a synchronous function, as named where its missing dead-letter queue is
   * acknowledged (cdk-nag Serverless-LambdaDLQ).
   * @default 'API Gateway'
   */
  readonly synchronousInvoker?: string;
  /**
   * Why a synchronous function that also invokes itself asynchronously (`grantInvokeItself`)
   * needs no dead-letter queue, replacing the synchronous-only reason (cdk-nag Serverless-LambdaDLQ).
   * @default - the synchronous-only reason
   */
  readonly selfInvocationNoDlqReason?: string;
}

const ARCHITECTURES: Record<LambdaArchitecture, lambda.Architecture> = {
  arm64: lambda.Architecture.ARM_64,
  x86_64: lambda.Architecture.X86_64,
};

/**
 * One Lambda per capability: bundled by esbuild with the project's shared options
 * (minified ESM, source maps, AWS SDK included), Node.js 24 on arm64, its own log group with
 * retention and its own role, which can write to that log group and nothing else until the
 * caller grants it more (`storage.grantObjects(fn, [...])`).
 * The architecture is `LAMBDA_ARCHITECTURE`. The functions that render (`RENDERING_LAMBDAS`)
 * also carry sharp/libvips and libheif built for that Lambda platform in their asset's
 * node_modules (`infra/render-runtime.ts`); the others carry no node_modules at all.
 */
export class CapabilityFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly grantPrincipal: iam.IPrincipal;
  /** The function's own role: it may write its log group, and what the stack grants it. */
  readonly role: iam.Role;
  /** Longest run, as configured (alarms compare durations with it). */
  readonly timeout: Duration;
  private readonly environmentNames = new Set<string>();

  constructor(scope: Construct, id: string, props: CapabilityFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole (logs:* on every log group).
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `s3-image-proxy ${props.capability} function`,
    });
    this.role = role;
    this.logGroup.grantWrite(role);
    const rendersImages = RENDERING_LAMBDAS.has(props.capability);
    // A missing, stale or wrong-platform render runtime fails here, saying how to fix it, rather
    // than in the deployed function on its first image. Synths that skip bundling skip the check.
    if (rendersImages && Stack.of(this).bundlingRequired) checkRenderRuntime();

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, LAMBDA_ENTRIES[props.capability]),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: ARCHITECTURES[LAMBDA_ARCHITECTURE],
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(20),
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: bundlingOf(props.tracing === true, rendersImages),
    });
    if (props.sourceMapStackTraces) this.function.addEnvironment('NODE_OPTIONS', '--enable-source-maps');
    for (const [name, value] of Object.entries(props.environment ?? {})) this.addEnvironment(name, value);
    this.grantPrincipal = this.function.grantPrincipal;
    this.timeout = props.timeout ?? Duration.seconds(20);
    this.acknowledgeChecks(props);
  }

  /** cdk-nag findings this function's design answers: each reason is the design decision. */
  private acknowledgeChecks(props: CapabilityFunctionProps): void {
    if ((props.invocation ?? 'synchronous') === 'synchronous') {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          props.selfInvocationNoDlqReason ??
          `Invoked synchronously by ${props.synchronousInvoker ?? 'API Gateway'} only: a dead-letter queue receives ` +
            'failed asynchronous invocations, so it would stay empty. ' +
            (props.synchronousInvoker === undefined
              ? 'A failure answers the caller with a 5xx it retries, and is counted by the function’s 5xx-rate, ' +
                'error and throttle alarms.'
              : 'A failure is answered to that caller, never retried later, and counted by the function’s error and ' +
                'throttle alarms.'),
      });
    }
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray only grants on ' +
          'Resource "*" (the actions support no resource-level permissions); nothing else is granted on "*".',
      });
    } else {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaTracing',
        reason:
          'X-Ray tracing is a deployment option (-c tracing=true), off by default: traces are billed per request ' +
          'recorded, and a failure is explained by its log line (cause, S3 status and request id, function request ' +
          'id, cold start) and counted by the EMF metrics and alarms without it.',
      });
    }
    // nodejs24.x is the newest runtime aws-cdk-lib 2.276 knows, so L1 passes today; the acknowledgement keeps a later
    // aws-cdk-lib that knows a newer one from failing synthesis over a deliberate pin.
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs24.x on purpose (LAMBDA_NODE_MAJOR), a runtime supported until about 2028-04-30: the bundle ' +
        'targets node24, and the tests, benchmarks, local mode and cdk synth run on Node 24 too, installed by npm ci ' +
        '(a test fails when they run on another major). Moving to a newer runtime is one deliberate change of the ' +
        "runtime, the esbuild target and the project's Node together.",
    });
  }

  /**
   * Lets the function invoke itself (work it hands on to a later run of its own), on its own ARN
   * only. A policy of its own: in the role's default policy the function's ARN would make the
   * function depend on itself.
   */
  grantInvokeItself(): void {
    new iam.Policy(this, 'SelfInvocation', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [this.function.functionArn],
        }),
      ],
    });
  }

  /** Adds an environment variable; a second value for the same name is a mistake, not an update. */
  addEnvironment(name: string, value: string): this {
    if (this.environmentNames.has(name)) {
      throw new Error(
        `${this.node.path}: environment variable ${name} is set twice; merge the values at the call site`,
      );
    }
    this.environmentNames.add(name);
    this.function.addEnvironment(name, value);
    return this;
  }
}

/**
 * How a function's code is bundled: CommonJS, minified, the AWS SDK inside, the modules it loads
 * on first use in files of their own; rendering functions take sharp and libheif-js from their
 * own node_modules.
 */
function bundlingOf(tracing: boolean, rendersImages: boolean): BundlingOptions {
  return {
    minify: ESBUILD_OPTIONS.minify,
    sourceMap: ESBUILD_OPTIONS.sourcemap,
    format: OutputFormat.CJS,
    target: ESBUILD_OPTIONS.target,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    // Bundle the AWS SDK too: the code that runs is the version the tests ran. Rendering
    // functions import sharp and libheif-js from their own node_modules instead: native and
    // WebAssembly code that esbuild cannot bundle, installed for Lambda's platform.
    externalModules: [
      ...onFirstUseBundling.externalModules,
      ...(rendersImages ? renderRuntimeBundling.externalModules : []),
    ],
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string): string[] => {
        // inputDir is the project root as the bundler sees it; '/' works on every OS.
        const root = inputDir.replace(/[\\/]+$/, '');
        return [
          onFirstUseBundling.afterBundling(root, outputDir, tracing),
          ...(rendersImages ? renderRuntimeBundling.afterBundling(root, outputDir) : []),
        ];
      },
    },
    esbuildArgs: {
      '--legal-comments': ESBUILD_OPTIONS.legalComments,
      '--supported:dynamic-import': String(ESBUILD_OPTIONS.supported['dynamic-import']),
      // hevc-tile-pool.ts reads import.meta.url only where __filename is not defined (ESM).
      '--log-override:empty-import-meta': 'silent',
      ...Object.fromEntries(
        Object.entries(lambdaModuleAliases(tracing)).map(([from, to]) => [`--alias:${from}`, to]),
      ),
    },
  };
}
