import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';

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
}

/**
 * The private image bucket and the bucket its access logs (and the CDN's) go to. Both block
 * all public access, refuse plain HTTP and TLS below 1.2, and encrypt at rest (SSE-S3).
 */
export class ImageStorage extends Construct {
  /** Holds every image; readable only through the CDN's Origin Access Control. */
  readonly bucket: s3.Bucket;
  /** S3 server access logs (`s3/`) and CloudFront standard logs (`cdn/`). */
  readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ImageStorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // CloudFront standard logging writes with an ACL grant to its log-delivery account.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(30) }],
      removalPolicy,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log destination itself; logging it would log the log deliveries (recursively). ' +
        'Reads of it are recorded by CloudTrail management/data events if the account enables them.',
    });

    this.bucket = new s3.Bucket(this, 'Images', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ...(props.objectExpiration ? [{ id: 'expire-ephemeral-images', expiration: props.objectExpiration }] : []),
      ],
      removalPolicy,
    });
  }

  /**
   * Grants `grantee` exactly the given object-level actions on every key of the image bucket
   * (clients are namespaced by key prefix at request time, so the grant cannot be narrower).
   */
  grantObjects(grantee: iam.IGrantable & IConstruct, actions: readonly ImageObjectAction[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [this.bucket.arnForObjects('*')] });
    const bucketLogicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
      reason:
        `Object-level actions (${actions.join(', ')}) apply to keys chosen per request inside the caller's namespace ` +
        "(<client>/…), so the resource is every object of this one bucket; no other bucket and no bucket-level action is granted.",
    });
    return grant;
  }
}
