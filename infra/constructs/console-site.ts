import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, type RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import {
  buildConsoleSync,
  CONSOLE_PATH,
  type ConsoleOrigins,
  consoleContentSecurityPolicy,
} from '../console-assets';
import { PRIVATE_BUCKET } from './private-bucket';

export interface ConsoleSiteProps {
  /** The distribution that serves the images: the console becomes its `/console` path. */
  readonly distribution: cloudfront.Distribution;
  /** The API's base URL (`https://…/prod`), written into the console's `config.json`. */
  readonly apiUrl: string;
  /** The CDN's base URL, written into `config.json`. */
  readonly cdnBaseUrl: string;
  /** Where the console may connect and load images from (its CSP). */
  readonly origins: ConsoleOrigins;
  /** Largest file the console uploads as base64, in bytes; larger ones go by presigned PUT. */
  readonly directUploadMaxBytes: number;
  /** Where the assets bucket logs its requests. */
  readonly accessLogBucket: s3.IBucket;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The files page on AWS: its three files and `config.json` in a private assets bucket, served
 * at `/console` of the images' distribution through Origin Access Control, with a strict CSP.
 */
export class ConsoleSite extends Construct {
  /** The assets bucket (private; CloudFront reads it through OAC). */
  readonly bucket: s3.Bucket;
  /** The headers every console answer carries (CSP, nosniff, no referrer, no framing). */
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Assets', {
      ...PRIVATE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'console/',
      removalPolicy: props.removalPolicy,
    });
    this.responseHeadersPolicy = this.addResponseHeadersPolicy(props.origins);
    this.addConsoleBehavior(props.distribution);
    this.deployFiles(props);
  }

  /** The console's CSP (from `origins`), nosniff, no referrer, never framed, HSTS. */
  private addResponseHeadersPolicy(origins: ConsoleOrigins): cloudfront.ResponseHeadersPolicy {
    return new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 's3-image-proxy console: strict CSP, nosniff, no referrer, never framed',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy({
            ...origins,
            // Served by the images' own distribution: without a custom domain the CDN is 'self' (and
            // naming its domain here would make the distribution depend on itself).
            cdn: Token.isUnresolved(origins.cdn) ? "'self'" : origins.cdn,
          }),
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: false,
          override: true,
        },
      },
    });
  }

  /** `/console*` of the distribution: the assets bucket through OAC, uncached, bare paths to index.html. */
  private addConsoleBehavior(distribution: cloudfront.Distribution): void {
    distribution.addBehavior(`${CONSOLE_PATH}*`, S3BucketOrigin.withOriginAccessControl(this.bucket), {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      // A deploy changes the files under the same names: always the current ones.
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      responseHeadersPolicy: this.responseHeadersPolicy,
      compress: true,
      functionAssociations: [
        {
          function: new cloudfront.Function(this, 'Index', {
            comment: 's3-image-proxy console: /console and /console/ are its index.html',
            runtime: cloudfront.FunctionRuntime.JS_2_0,
            code: cloudfront.FunctionCode.fromInline(consoleIndexFunctionCode()),
          }),
          eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
        },
      ],
    });
  }

  /** Each deploy puts the console's built files and its `config.json` under `console/`. */
  private deployFiles(props: ConsoleSiteProps): void {
    const deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${CONSOLE_PATH.slice(1)}/`,
      sources: [
        s3deploy.Source.asset(writeConsoleFiles()),
        s3deploy.Source.jsonData('config.json', {
          apiUrl: props.apiUrl.replace(/\/$/, ''),
          cdnBaseUrl: props.cdnBaseUrl,
          directUploadMaxBytes: props.directUploadMaxBytes,
        }),
      ],
      memoryLimit: 256,
    });
    acknowledgeDeploymentFindings(deployment, this.bucket);
  }
}

/** The viewer-request function that maps the console's bare paths to its index file. */
export function consoleIndexFunctionCode(): string {
  return `function handler(event) {
  var uri = event.request.uri;
  if (uri === '${CONSOLE_PATH}') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '${CONSOLE_PATH}/' } } };
  }
  if (uri === '${CONSOLE_PATH}/') event.request.uri = '${CONSOLE_PATH}/index.html';
  return event.request;
}`;
}

/** Builds the console (esbuild) into a fresh folder CDK turns into an asset. */
function writeConsoleFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-asset-'));
  for (const [name, file] of buildConsoleSync()) writeFileSync(join(dir, name), file.body);
  return dir;
}

const DEPLOYMENT_ROLE_REASON =
  "CDK's own BucketDeployment function (runs only during deploys) reads the CDK asset bucket and writes the " +
  "console's assets bucket, through CDK's standard grants: its logs by AWSLambdaBasicExecutionRole, its wildcards " +
  'are S3 actions and object keys inside those two buckets.';
const DEPLOYMENT_FUNCTION_REASON =
  "CDK's own BucketDeployment function: its runtime and settings are aws-cdk-lib's; CloudFormation invokes it " +
  'synchronously during deploys only, and a failure fails the deploy (no dead-letter queue to fill, nothing to trace).';

/** cdk-nag findings of CDK's own BucketDeployment function, acknowledged with the reasons. */
function acknowledgeDeploymentFindings(deployment: s3deploy.BucketDeployment, bucket: s3.Bucket): void {
  const stack = Stack.of(bucket);
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  const assetsBucket = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  const roleFindings = [
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map(
      (action) => `AwsSolutions-IAM5[Action::${action}]`,
    ),
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
    `AwsSolutions-IAM5[Resource::<${assetsBucket}.Arn>/*]`,
  ];
  for (const id of roleFindings)
    Validations.of(deployment.handlerRole).acknowledge({ id, reason: DEPLOYMENT_ROLE_REASON });
  if (handler === undefined) return;
  for (const id of [
    'AwsSolutions-L1',
    'Serverless-LambdaDLQ',
    'Serverless-LambdaLatestVersion',
    'Serverless-LambdaTracing',
  ])
    Validations.of(handler).acknowledge({ id, reason: DEPLOYMENT_FUNCTION_REASON });
}
