import { FUNCTION_MEMORY_DEFAULTS } from '../memory-deploy-config';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, OriginGroup } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { renderCapability } from '../../lambdas/capabilities/render';
import { CDN_RENDITION_PREFIX } from '../../lambdas/core/cdn-rendition';
import {
  ORIGINALS_PREFIX,
  QUARANTINE_PREFIX,
  UPLOAD_STATUS_PREFIX,
} from '../../lambdas/core/object-namespace';
import { renditionEdgeCode } from '../edge/rendition-edge';
import { environmentOf, type FunctionSettingValues } from '../capability-settings';
import { CapabilityFunction } from './capability-function';
import type { ImageStorage } from './image-storage';

/**
 * The private key prefixes CloudFront is denied once it reads `_renditions/`: every private
 * prefix of lambdas/core/object-namespace.ts (`_` alone would deny the renditions too).
 */
export const CDN_DENIED_KEY_PREFIXES: readonly string[] = [
  QUARANTINE_PREFIX,
  ORIGINALS_PREFIX,
  UPLOAD_STATUS_PREFIX,
];

/** Memory of the rendering function, in MiB: rendering is CPU-bound, and CPU scales with memory. */
export const RENDER_FUNCTION_MEMORY_MIB = FUNCTION_MEMORY_DEFAULTS.render;

/** Longest run of the rendering function: decoding a 100 MP original and encoding AVIF fit in it. */
export const RENDER_FUNCTION_TIMEOUT = Duration.seconds(25);

/**
 * How long CloudFront waits for the rendering function's first byte: longer than the function
 * can run, so a slow render ends as the function's own timeout (a 5xx it logs), never as
 * CloudFront giving up on an answer that is on its way.
 */
export const RENDER_ORIGIN_READ_TIMEOUT = RENDER_FUNCTION_TIMEOUT.plus(Duration.seconds(5));

export interface CdnRenditionsProps {
  /** The images: the function reads sources there and stores renditions under `_renditions/`. */
  readonly storage: ImageStorage;
  /**
   * What the function's environment is written from, feature by feature as its manifest
   * (`renderCapability.settings`) declares. Its `config.renditions.bounds`, what a URL may ask
   * for, also go into the viewer-request function, so the two cannot disagree.
   */
  readonly settings: FunctionSettingValues;
  /**
   * Memory of the rendering function, in MB; its CPU share too (1,769 MB is one vCPU).
   * @default RENDER_FUNCTION_MEMORY_MIB
   */
  readonly memoryMiB?: number;
  /**
   * Active X-Ray tracing of the function.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Stack traces at the TypeScript sources (`--enable-source-maps`), as `CapabilityFunction` has it.
   * @default false
   */
  readonly sourceMapStackTraces?: boolean;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Whether the function's log group outlives the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Concurrent renders reserved for the function, which are also its ceiling (a cost bound).
   * @default - unreserved
   */
  readonly reservedConcurrency?: number;
  /**
   * Region of an Origin Shield in front of the function URL (and, through `originShieldRegion`,
   * of the bucket): one regional cache between the edge locations and the origins.
   * @default - no Origin Shield
   */
  readonly originShieldRegion?: string;
}

/**
 * Renditions made at the CDN (docs/cdn-renditions.md): the rendering function behind a function
 * URL (`AWS_IAM` auth, `RESPONSE_STREAM`: no 6 MB cap) that only CloudFront can invoke, through
 * Origin Access Control; the viewer-request CloudFront Function that turns `?w=…` into the
 * canonical rendition key; and the origin group that tries the stored rendition first and
 * renders it on a miss. `ImageCdn` wires them into its default behaviour.
 */
export class CdnRenditions extends Construct {
  /** Renders, stores and streams a rendition on a miss. */
  readonly renderFunction: CapabilityFunction;
  /** The function's URL: `AWS_IAM` auth, invoked only by the distribution through its OAC. */
  readonly functionUrl: lambda.FunctionUrl;
  /** Validates and normalises the query, answers 400/404 itself, rewrites the URI (cloudfront-js-2.0). */
  readonly viewerRequestFunction: cloudfront.Function;
  /** Region of the Origin Shield in front of both origins, if any. */
  readonly originShieldRegion?: string;
  private readonly renderOrigin: cloudfront.IOrigin;

  constructor(scope: Construct, id: string, props: CdnRenditionsProps) {
    super(scope, id);
    const { storage } = props;
    const { bounds } = props.settings.config.renditions;
    this.originShieldRegion = props.originShieldRegion;

    this.renderFunction = new CapabilityFunction(this, 'Function', {
      capability: 'render',
      description: renderCapability.description,
      memorySize: props.memoryMiB ?? RENDER_FUNCTION_MEMORY_MIB,
      timeout: RENDER_FUNCTION_TIMEOUT,
      reservedConcurrency: props.reservedConcurrency,
      tracing: props.tracing,
      sourceMapStackTraces: props.sourceMapStackTraces,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      synchronousInvoker: 'CloudFront through the function URL (AWS_IAM auth, Origin Access Control)',
      environment: environmentOf(renderCapability.settings, props.settings),
    });
    // Not grantCapability: the reads of every key go with the Deny of the private prefixes and a
    // reason of their own, which the manifest's grants cannot say (manifest-grants.test.ts holds
    // the IAM to the manifest).
    grantRenderingAccess(this.renderFunction, storage);
    // The resource policy the origin adds when the distribution binds it grants
    // cloudfront.amazonaws.com, for this distribution's ARN only, both lambda:InvokeFunctionUrl and
    // lambda:InvokeFunction (function URLs created since October 2025 need both); no other principal.
    this.functionUrl = this.renderFunction.function.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.AWS_IAM,
      invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
    });
    this.renderOrigin = FunctionUrlOrigin.withOriginAccessControl(this.functionUrl, {
      readTimeout: RENDER_ORIGIN_READ_TIMEOUT,
      ...(props.originShieldRegion !== undefined && { originShieldRegion: props.originShieldRegion }),
    });

    this.viewerRequestFunction = new cloudfront.Function(this, 'ViewerRequest', {
      comment: 's3-image-proxy: renditions at the CDN, the viewer request (query to canonical key)',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(renditionEdgeCode(bounds)),
    });
  }

  /**
   * The origin of the behaviour serving images: `objects` (the bucket) first; when it answers 403
   * or 404 (S3 says 403 for a missing key to a reader that may not list), the rendering function.
   */
  originGroup(objects: cloudfront.IOrigin): cloudfront.IOrigin {
    return new OriginGroup({
      primaryOrigin: objects,
      fallbackOrigin: this.renderOrigin,
      fallbackStatusCodes: [403, 404],
    });
  }

  /** The function associations of that behaviour: the viewer-request function. */
  get functionAssociations(): cloudfront.FunctionAssociation[] {
    return [{ function: this.viewerRequestFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }];
  }
}

/**
 * The rendering function's access to the bucket. The source of a rendition is the kept original
 * `_originals/<key>` or else the public object `<client>/<name>`. Public keys span every client
 * prefix and IAM cannot say "keys not starting with _", so reads are granted on every key and
 * denied (a Deny beats that Allow) under the private prefixes it never reads: an unchecked upload
 * (an SVG, an HTML page) or an upload record must never become a rendition, whatever path parsing
 * lets through. ListBucket: a missing source is a 404, not a 403. Writes go under _renditions/
 * only; no delete.
 */
function grantRenderingAccess(render: CapabilityFunction, storage: ImageStorage): void {
  const neverRead = CDN_DENIED_KEY_PREFIXES.filter((prefix) => prefix !== ORIGINALS_PREFIX);
  storage.grantObjects(
    render,
    ['s3:GetObject'],
    '*',
    'the source of one rendition, chosen per request from its key: the kept original _originals/<client>/<name> ' +
      'or else the public object <client>/<name>. Public keys span every client prefix and IAM cannot exclude keys ' +
      `starting with "_", so the resource is every object of this one bucket; reads of ${neverRead.join(' and ')} ` +
      'are denied explicitly',
  );
  storage.grantListObjects(render);
  storage.grantObjects(render, ['s3:PutObject'], `${CDN_RENDITION_PREFIX}*`);
  render.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'NeverRenderUncheckedUploadsOrRecords',
      effect: iam.Effect.DENY,
      actions: ['s3:GetObject'],
      resources: neverRead.map((prefix) => storage.bucket.arnForObjects(`${prefix}*`)),
    }),
  );
}
