import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { PRIVATE_BUCKET } from './private-bucket';

/** Object-level S3 actions a function may be granted on the images. */
export type ImageObjectAction = 's3:PutObject' | 's3:GetObject' | 's3:DeleteObject';

export interface ImageStorageProps {
  /**
   * What `cdk destroy` does with both buckets. Images are the product: keep them unless the
   * stack is a throw-away one (a bucket is only deleted when empty).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days after which stored images expire, for deployments whose images are ephemeral
   * (handed to a model once).
   * @default - images are kept until deleted
   */
  readonly objectExpiration?: Duration;
  /**
   * How long S3 server access logs and CDN access logs are kept.
   * @default Duration.days(30)
   */
  readonly accessLogRetention?: Duration;
  /**
   * Key prefix (`_incoming/`) where presigned uploads wait for their check. CloudFront is
   * explicitly denied reads under it (the Deny overrides the distribution's OAC Allow), and
   * whatever the check did not move out is expired after `quarantineExpiration`.
   * @default - no quarantine
   */
  readonly quarantinePrefix?: string;
  /**
   * How long an unchecked upload may stay under `quarantinePrefix` before S3 deletes it
   * (the check normally moves or deletes it within seconds).
   * @default Duration.days(1)
   */
  readonly quarantineExpiration?: Duration;
  /**
   * Key prefixes the CDN must never read (quarantine, kept originals, upload records): `_`
   * alone, which no client name can start with, or each private prefix by name when the CDN
   * may read one of them (`_renditions/`). Given, they replace `quarantinePrefix` in the
   * CloudFront Deny.
   * @default - [`quarantinePrefix`]
   */
  readonly privateKeyPrefixes?: readonly string[];
  /**
   * Short-lived records under a prefix, each with its own expiry (upload outcomes must outlive
   * the presigned URLs that can still write to them, and no longer).
   * @default - none
   */
  readonly expiringPrefixes?: ReadonlyArray<{ readonly prefix: string; readonly expiration: Duration }>;
  /**
   * Request headers browsers may send with presigned PUTs and GETs (the `headers` a
   * `POST /presign` answer lists). When given, the bucket answers CORS preflights for PUT, GET
   * and HEAD from any origin: the presigned URL itself is the credential.
   * @default - no CORS rule: presigned URLs work from servers and curl, not from browsers
   */
  readonly presignedRequestHeaders?: readonly string[];
}

/**
 * The private image bucket, the bucket its access logs go to and the bucket of the CDN's logs.
 * All three block all public access, refuse plain HTTP and TLS below 1.2, and encrypt at rest (SSE-S3).
 * With a `quarantinePrefix`, presigned uploads wait there, unreadable by CloudFront, until
 * they are checked (or expire).
 */
export class ImageStorage extends Construct {
  /** Holds every image; readable only through the CDN's Origin Access Control. */
  readonly bucket: s3.Bucket;
  /** S3 server access logs of the image bucket (`s3/`), delivered under a bucket policy; no ACLs. */
  readonly logBucket: s3.Bucket;
  /** CloudFront standard logs (`cdn/`); the one bucket with ACLs enabled, which CloudFront's delivery needs. */
  readonly cdnLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ImageStorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.accessLogRetention ?? Duration.days(30);
    const cdnDeniedPrefixes = cdnDeniedPrefixesOf(props);

    // S3 delivers server access logs under the bucket policy CDK writes (feature flag
    // @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy in cdk.json), so this bucket needs no ACL
    // at all: ACLs are disabled (BucketOwnerEnforced) and every object is the account's.
    this.logBucket = this.addLogBucket('ServerAccessLogs', s3.ObjectOwnership.BUCKET_OWNER_ENFORCED, {
      logRetention,
      removalPolicy,
    });
    // CloudFront's standard logging writes through an ACL grant to its log-delivery account, so
    // its bucket must keep ACLs enabled (BucketOwnerPreferred; CloudFront adds the grant itself,
    // the template sets no AccessControl). Standard logging v2 needs no ACL but can only be set
    // up from us-east-1, whatever region the stack is in. Nothing else writes here.
    this.cdnLogBucket = this.addLogBucket('CdnLogs', s3.ObjectOwnership.BUCKET_OWNER_PREFERRED, {
      logRetention,
      removalPolicy,
    });

    this.bucket = new s3.Bucket(this, 'Images', {
      ...PRIVATE_BUCKET,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      lifecycleRules: imageLifecycleRules(props),
      ...(props.presignedRequestHeaders !== undefined && {
        cors: [presignedRequestsCors(props.presignedRequestHeaders)],
      }),
      removalPolicy,
    });
    if (cdnDeniedPrefixes.length > 0) this.denyCdnReads(cdnDeniedPrefixes);
  }

  /** A bucket access logs are delivered to, keeping them `logRetention`; itself not logged. */
  private addLogBucket(
    id: string,
    objectOwnership: s3.ObjectOwnership,
    options: { readonly logRetention: Duration; readonly removalPolicy: RemovalPolicy },
  ): s3.Bucket {
    const logBucket = new s3.Bucket(this, id, {
      ...PRIVATE_BUCKET,
      objectOwnership,
      lifecycleRules: [{ expiration: options.logRetention }],
      removalPolicy: options.removalPolicy,
    });
    Validations.of(logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is an access-log destination itself; logging it would log the log deliveries (recursively). ' +
        'Reads of it are recorded by CloudTrail management/data events if the account enables them.',
    });
    return logBucket;
  }

  /**
   * Explicit Deny beats the OAC Allow the distribution adds: an upload that has not been
   * checked yet (an SVG, an HTML page…), a kept original with its GPS position, an upload
   * record, is never served, whatever the distribution.
   */
  private denyCdnReads(prefixes: readonly string[]): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyCdnReadsOfPrivateKeys',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: prefixes.map((prefix) => this.bucket.arnForObjects(`${prefix}*`)),
      }),
    );
  }

  /**
   * Grants `grantee` exactly the given object-level actions on the keys matching `keyPattern`
   * of the image bucket: every key by default (clients are namespaced by key prefix at request
   * time, so a per-client grant is not possible), or a fixed prefix such as `_incoming/*`.
   * `keysChosen` says which keys the grantee picks and why the pattern cannot be narrower, for the
   * cdk-nag IAM5 acknowledgement; by default, keys inside the caller's namespace or under the prefix.
   */
  grantObjects(
    grantee: iam.IGrantable & IConstruct,
    actions: readonly ImageObjectAction[],
    keyPattern = '*',
    keysChosen?: string,
  ): iam.Grant {
    if (
      !keyPattern.endsWith('*') ||
      keyPattern.indexOf('*') !== keyPattern.length - 1 ||
      keyPattern.startsWith('/')
    ) {
      throw new Error(
        `ImageStorage.grantObjects: keyPattern must be a key prefix followed by a single trailing "*", got "${keyPattern}"`,
      );
    }
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [...actions],
      resourceArns: [this.bucket.arnForObjects(keyPattern)],
    });
    const scope =
      keysChosen ??
      (keyPattern === '*'
        ? "keys chosen per request inside the caller's namespace (<client>/…), so the resource is every object of this one bucket"
        : `keys under the fixed prefix ${keyPattern.slice(0, -1)} of this one bucket, chosen per request`);
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.bucketLogicalId}.Arn>/${keyPattern}]`,
      reason: `Object-level actions (${actions.join(', ')}) apply to ${scope}; no other bucket is granted.`,
    });
    return grant;
  }

  /**
   * Grants `grantee` `s3:ListBucket` on the image bucket (no wildcard): listing keys, and
   * the right that makes S3 answer a HeadObject/GetObject of a missing key with 404 instead of 403.
   */
  grantListObjects(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
    });
  }

  private get bucketLogicalId(): string {
    return Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
  }
}

/**
 * The key prefixes the CDN is denied (`privateKeyPrefixes`, else the quarantine), each checked
 * to be a plain key prefix: a wildcard or a leading "/" would deny something else than meant.
 */
function cdnDeniedPrefixesOf(props: ImageStorageProps): readonly string[] {
  if (props.quarantinePrefix !== undefined && !/^[^*?/][^*?]*\/$/.test(props.quarantinePrefix)) {
    throw new Error(
      `ImageStorage: quarantinePrefix must be a key prefix ending in "/" (such as "_incoming/"), got "${props.quarantinePrefix}"`,
    );
  }
  const denied =
    props.privateKeyPrefixes ?? (props.quarantinePrefix === undefined ? [] : [props.quarantinePrefix]);
  for (const prefix of denied) {
    if (prefix === '' || /[*?]/.test(prefix) || prefix.startsWith('/')) {
      throw new Error(
        `ImageStorage: privateKeyPrefixes must be key prefixes without wildcards (such as "_" or "_incoming/"), got "${prefix}"`,
      );
    }
  }
  return denied;
}

/**
 * The image bucket's lifecycle: abandoned multipart uploads go after a day; then, when asked,
 * every image after `objectExpiration`, unchecked uploads after `quarantineExpiration`, and each
 * expiring prefix after its own expiry.
 */
function imageLifecycleRules(props: ImageStorageProps): s3.LifecycleRule[] {
  return [
    { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ...(props.objectExpiration
      ? [{ id: 'expire-ephemeral-images', expiration: props.objectExpiration }]
      : []),
    ...(props.quarantinePrefix !== undefined
      ? [
          {
            id: 'expire-unchecked-uploads',
            prefix: props.quarantinePrefix,
            expiration: props.quarantineExpiration ?? Duration.days(1),
          },
        ]
      : []),
    ...(props.expiringPrefixes ?? []).map(({ prefix, expiration }) => ({
      id: `expire-${prefix.replace(/[^a-z0-9]+/g, '')}`,
      prefix,
      expiration,
    })),
  ];
}

/** Browsers may PUT, GET and HEAD presigned URLs from any origin: the URL itself is the credential. */
function presignedRequestsCors(allowedHeaders: readonly string[]): s3.CorsRule {
  return {
    allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
    allowedOrigins: ['*'],
    allowedHeaders: [...allowedHeaders],
    exposedHeaders: ['ETag'],
    maxAge: 3600,
  };
}
