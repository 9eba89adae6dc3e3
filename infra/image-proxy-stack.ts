import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../lambdas/adapters/env-names';
import { CDN_RENDITION_PREFIX } from '../lambdas/core/cdn-rendition';
import { DEFAULT_MAX_IMAGE_PIXELS } from '../lambdas/core/limits';
import {
  PRIVATE_KEY_PREFIX,
  QUARANTINE_PREFIX,
  UPLOAD_STATUS_PREFIX,
} from '../lambdas/core/object-namespace';
import { PRESIGNED_PUT_HEADERS } from '../lambdas/core/presign-request';
import { outputIdOf, type DeployConfig, type FunctionName } from './config';
import { sourceEnvironment } from './source-deploy-config';
import { ApiClients } from './constructs/api-clients';
import { ConsoleSite } from './constructs/console-site';
import { CONSOLE_PATH, directUploadMaxBytes } from './console-assets';
import { CapabilityFunction } from './constructs/capability-function';
import { CDN_DENIED_KEY_PREFIXES, CdnRenditions } from './constructs/cdn-renditions';
import { ImageApi } from './constructs/image-api';
import { ImageCdn } from './constructs/image-cdn';
import { ImageStorage } from './constructs/image-storage';
import { Operations, alarmTopicOf } from './constructs/operations';
import { ImageCatalogue } from './constructs/image-catalogue';
import { CatalogueReconciler } from './constructs/catalogue-reconciler';
import { PresignQuotaTable } from './constructs/presign-quota-table';
import {
  PRESIGN_REQUEST_SCHEMA,
  RENDITION_REQUEST_SCHEMA,
  UPLOAD_REQUEST_SCHEMA,
} from './constructs/request-models';
import { API_RESOURCES } from '../lambdas/core/api-resources';
import {
  UploadCheckTrigger,
  checkFunctionMemoryMiB,
  checkFunctionTimeout,
} from './constructs/upload-check-trigger';

/** Memory of the functions that render, in MiB (CPU scales with it). */

export interface ImageProxyStackProps extends StackProps {
  /** The validated deploy configuration (`readDeployConfig`). */
  readonly config: DeployConfig;
}

/** Everything `cdk deploy` creates: storage, CDN, API, clients and one function per capability. */
export class ImageProxyStack extends Stack {
  constructor(scope: Construct, id: string, props: ImageProxyStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const functionDefaults = {
      logRetention,
      logRemovalPolicy: removalPolicy,
      tracing: config.tracing,
      sourceMapStackTraces: config.sourceMapStackTraces,
    };
    // Each function's ceiling of concurrent runs: a cost bound that holds whatever arrives.
    const ceiling = (name: FunctionName) => ({ reservedConcurrency: config.reservedConcurrency?.[name] });
    const { renditions } = config;

    const storage = new ImageStorage(this, 'Storage', {
      removalPolicy,
      objectExpiration:
        config.objectExpirationDays === undefined ? undefined : Duration.days(config.objectExpirationDays),
      accessLogRetention: Duration.days(config.logRetentionDays),
      // Presigned PUTs land here; the check function publishes them, the CDN never reads them.
      quarantinePrefix: QUARANTINE_PREFIX,
      quarantineExpiration: Duration.days(1),
      // The CDN reads _renditions/: with renditions the other private prefixes are denied by name.
      privateKeyPrefixes: renditions.enabled ? CDN_DENIED_KEY_PREFIXES : [PRIVATE_KEY_PREFIX],
      // An outcome must outlive every URL that could still PUT to its upload id (a replay is
      // refused because the outcome is there); a day more than the longest presign. Renditions
      // expire (and are made again on the next miss) even while disabled: none is left forever.
      expiringPrefixes: [
        {
          prefix: UPLOAD_STATUS_PREFIX,
          expiration: Duration.days(Math.ceil(config.presignMaxExpiresSeconds / 86_400) + 1),
        },
        { prefix: CDN_RENDITION_PREFIX, expiration: Duration.days(renditions.expirationDays) },
      ],
      presignedRequestHeaders: PRESIGNED_PUT_HEADERS,
    });
    // Id "Render": its function's logical id is RenderFunction…, like the other functions'.
    const cdnRenditions = renditions.enabled
      ? new CdnRenditions(this, 'Render', {
          ...functionDefaults,
          ...ceiling('render'),
          storage,
          bounds: renditions.bounds,
          // A kept original is as large as the largest upload any route accepts.
          maxSourceBytes: Math.max(config.maxDirectUploadBytes, config.source.maxBytes, config.maxImageBytes),
          serviceName: this.stackName,
          originShieldRegion: renditions.originShieldRegion,
          memoryMiB: config.functionMemory.render,
        })
      : undefined;
    const cdn = new ImageCdn(this, 'Cdn', {
      bucket: storage.bucket,
      logBucket: storage.cdnLogBucket,
      priceClass: config.priceClass as cloudfront.PriceClass,
      domainName: config.customDomain?.domainName,
      certificate:
        config.customDomain &&
        acm.Certificate.fromCertificateArn(this, 'CdnCertificate', config.customDomain.certificateArn),
      webAclArn: config.webAclArn,
      geoAllowlist: config.geoAllowlist,
      renditions: cdnRenditions,
    });
    const api = new ImageApi(this, 'Api', {
      accessLogRetention: logRetention,
      logRemovalPolicy: removalPolicy,
      maxImageBytes: config.maxImageBytes,
      // A ceiling for all clients together, whatever their usage plans allow.
      throttle: config.apiThrottle,
      tracing: config.tracing,
      serviceName: this.stackName,
      corsOrigins: config.corsOrigins,
    });
    const clients = new ApiClients(this, 'Clients', {
      api: api.restApi,
      namePrefix: this.stackName,
      clients: config.clients.map((client) => ({
        ...client,
        quota:
          client.quotaLimit === undefined
            ? undefined
            : { limit: client.quotaLimit, period: apigw.Period[client.quotaPeriod] },
      })),
    });

    // What every handler reads at cold start (lambdas/adapters/config.ts, loadCommonConfig).
    const commonEnvironment = {
      [ENV.bucketName]: storage.bucket.bucketName,
      [ENV.publicBaseUrl]: cdn.baseUrl,
      [ENV.clientKeyIds]: clients.clientKeyIds,
      // The `service` dimension of every metric, and whether the Tracer records S3 calls.
      [ENV.serviceName]: this.stackName,
      [ENV.tracingEnabled]: String(config.tracing),
    };
    // What the API's functions read besides: the origins whose browsers may read their answers.
    const apiEnvironment = { ...commonEnvironment, ...api.cors.environment() };
    // Which profile an upload that names none gets (loadFitDefaults): read by every function that
    // renders or signs an upload.
    const clientFits = config.clients
      .flatMap((client) => (client.fit === undefined ? [] : [`${client.name}=${client.fit}`]))
      .join(',');
    const fitEnvironment = {
      [ENV.defaultFit]: config.defaultFit,
      ...(clientFits && { [ENV.clientFits]: clientFits }),
    };

    const upload = new CapabilityFunction(this, 'UploadFunction', {
      ...functionDefaults,
      ...ceiling('upload'),
      capability: 'upload',
      description:
        'POST /uploads and /renditions: makes model-ready renditions (of uploaded or fetched images) and stores them under their content address',
      // libvips decodes a 100 MP image in well under 1 GiB with shrink-on-load; memory buys CPU
      // (functionMemory, chosen by measurement: docs/benchmarks.md).
      memorySize: config.functionMemory.upload,
      environment: {
        ...apiEnvironment,
        ...fitEnvironment,
        [ENV.maxImageBytes]: String(config.maxImageBytes),
        [ENV.maxImagePixels]: String(DEFAULT_MAX_IMAGE_PIXELS),
        [ENV.maxDirectUploadBytes]: String(config.maxDirectUploadBytes),
        ...sourceEnvironment(config.source),
      },
    });
    // Writes renditions and kept originals (_originals/); reads a stored object or its original
    // back to make another profile of it (ListBucket: a missing key is 404, not 403).
    storage.grantObjects(upload, ['s3:GetObject', 's3:PutObject']);
    storage.grantListObjects(upload);
    const catalogue = new ImageCatalogue(this, 'Catalogue');
    catalogue.grantUse(upload, 'record', { derivesKeys: true });
    const uploadBody = api.addJsonModel('UploadRequest', UPLOAD_REQUEST_SCHEMA);
    api.addLambdaRoute('POST', '/uploads', upload.function, { jsonBodyModel: uploadBody });
    // Clients of the older proxy API post to the root.
    api.addLambdaRoute('POST', '/', upload.function, { jsonBodyModel: uploadBody });
    api.addLambdaRoute('POST', API_RESOURCES.renditions, upload.function, {
      jsonBodyModel: api.addJsonModel('RenditionRequest', RENDITION_REQUEST_SCHEMA),
    });

    const maxDirectUploadBytes = String(config.maxDirectUploadBytes);
    // Each presigned upload may become a 1 GiB+ check run: counted per client and window here,
    // a ceiling that holds whatever the usage plans say.
    const presignQuota = new PresignQuotaTable(this, 'PresignQuota');
    // Pure computation (SigV4 with the role's credentials), no AWS call: a presigned URL carries
    // only the signer's rights, so the role holds exactly what the URLs it signs may do.
    const presign = new CapabilityFunction(this, 'PresignFunction', {
      ...functionDefaults,
      ...ceiling('presign'),
      capability: 'presign',
      description: 'POST /presign: signs direct uploads into quarantine and short-lived private reads',
      memorySize: 256,
      environment: {
        ...apiEnvironment,
        ...fitEnvironment,
        [ENV.presignDefaultExpiresSeconds]: String(config.presignDefaultExpiresSeconds),
        [ENV.presignMaxExpiresSeconds]: String(config.presignMaxExpiresSeconds),
        [ENV.maxDirectUploadBytes]: maxDirectUploadBytes,
        [ENV.presignQuotaTable]: presignQuota.table.tableName,
        [ENV.presignUploadLimit]: String(config.presignUploadLimit),
        [ENV.presignUploadWindowSeconds]: String(config.presignUploadWindowSeconds),
      },
    });
    presignQuota.grantCount(presign);
    storage.grantObjects(presign, ['s3:PutObject'], `${QUARANTINE_PREFIX}*`);
    storage.grantObjects(presign, ['s3:GetObject']);
    api.addLambdaRoute('POST', '/presign', presign.function, {
      jsonBodyModel: api.addJsonModel('PresignRequest', PRESIGN_REQUEST_SCHEMA),
    });

    const objects = new CapabilityFunction(this, 'ObjectsFunction', {
      ...functionDefaults,
      ...ceiling('objects'),
      capability: 'objects',
      description:
        'GET/DELETE /objects: lists, describes and deletes a client’s objects, invalidating the CDN on delete',
      selfInvocationNoDlqReason:
        'API Gateway invokes it synchronously (a failure is answered with a 5xx the caller retries). It also invokes ' +
        'itself asynchronously to erase a large folder in the background; a failed run is retried twice by Lambda, ' +
        'and an erasure left running is recorded in the catalogue table (state, count) and continued by the next ' +
        'DELETE of its folder, so a dead-letter queue would hold nothing that is not already recorded there. ' +
        'Failures count in the function’s error alarm.',
      environment: {
        ...apiEnvironment,
        [ENV.cdnInvalidateOnDelete]: String(config.invalidateOnDelete),
        [ENV.eraseInBackgroundAbove]: String(config.eraseInBackgroundAbove),
        ...(config.invalidateOnDelete && { [ENV.cdnDistributionId]: cdn.distribution.distributionId }),
      },
    });
    // Deleting an object deletes its renditions (_renditions/<key>/…) too: listed and deleted here.
    storage.grantListObjects(objects);
    storage.grantObjects(objects, ['s3:GetObject', 's3:DeleteObject']);
    if (config.invalidateOnDelete) cdn.distribution.grantCreateInvalidation(objects);
    catalogue.grantUse(objects, 'manage', { derivesKeys: false });
    // A large folder is erased in the background: the function invokes itself with the erasure.
    objects.grantInvokeItself();
    for (const path of ['/objects', '/objects/{key+}']) {
      api.addLambdaRoute('GET', path, objects.function);
      api.addLambdaRoute('DELETE', path, objects.function);
    }
    api.addLambdaRoute('PATCH', '/objects/{key+}', objects.function);
    api.addLambdaRoute('GET', API_RESOURCES.stats, objects.function);
    api.addLambdaRoute('GET', API_RESOURCES.erasure, objects.function);
    // The outcome of a presigned upload: a read of _uploads/, which this function can make.
    api.addLambdaRoute('GET', API_RESOURCES.uploadStatus, objects.function);
    // The API's description (openapi/openapi.json, bundled): public, like GET /health. A mock
    // integration would need the document as a VTL template, where `$ref` and `#` are syntax.
    api.addLambdaRoute('GET', API_RESOURCES.openApi, objects.function, { apiKeyRequired: false });

    const checkUpload = new CapabilityFunction(this, 'CheckUploadFunction', {
      ...functionDefaults,
      ...ceiling('checkUpload'),
      invocation: 'asynchronous',
      capability: 'checkUpload',
      description: `S3 ${QUARANTINE_PREFIX} uploads: checks presigned uploads and publishes the accepted ones`,
      // At least what holding the largest upload whole needs.
      memorySize: Math.max(
        config.functionMemory.checkUpload,
        checkFunctionMemoryMiB(config.maxDirectUploadBytes),
      ),
      timeout: checkFunctionTimeout(config.maxDirectUploadBytes),
      environment: {
        ...commonEnvironment,
        ...fitEnvironment,
        [ENV.maxDirectUploadBytes]: maxDirectUploadBytes,
        [ENV.maxImagePixels]: String(DEFAULT_MAX_IMAGE_PIXELS),
      },
    });
    // Reads the quarantined upload and its upload record (GetObject covers HeadObject;
    // ListBucket makes a missing key 404, not 403), writes the rendition, the kept original and
    // the upload record, and deletes only quarantined copies.
    storage.grantObjects(checkUpload, ['s3:GetObject', 's3:PutObject']);
    storage.grantObjects(checkUpload, ['s3:DeleteObject'], `${QUARANTINE_PREFIX}*`);
    storage.grantListObjects(checkUpload);
    catalogue.grantUse(checkUpload, 'record', { derivesKeys: true });
    const uploadCheck = new UploadCheckTrigger(this, 'UploadCheck', {
      bucket: storage.bucket,
      prefix: QUARANTINE_PREFIX,
      checkFunction: checkUpload.function,
    });

    const reconciler = new CatalogueReconciler(this, 'CatalogueReconciler', {
      ...functionDefaults,
      storage,
      catalogue,
      distribution: cdn.distribution,
      publicBaseUrl: cdn.baseUrl,
      invalidateOnDelete: config.invalidateOnDelete,
      eraseInBackgroundAbove: config.eraseInBackgroundAbove,
      everyHours: config.reconcileEveryHours,
    });

    const operations = new Operations(this, 'Operations', {
      serviceName: this.stackName,
      functions: {
        upload,
        presign,
        objects,
        checkUpload,
        render: cdnRenditions?.renderFunction,
        reconcile: reconciler.function,
      },
      api: api.restApi,
      apiAccessLogs: api.accessLogs,
      checkFailures: uploadCheck.failures,
      alarmTopic: alarmTopicOf(this, config),
    });

    // The files page at /console of the same distribution; it calls the API with the user's key.
    new ConsoleSite(this, 'Console', {
      distribution: cdn.distribution,
      apiUrl: api.restApi.url,
      cdnBaseUrl: cdn.baseUrl,
      origins: {
        api: `https://${api.restApi.restApiId}.execute-api.${this.region}.${this.urlSuffix}`,
        cdn: cdn.baseUrl,
        uploads: `https://${storage.bucket.bucketRegionalDomainName}`,
      },
      directUploadMaxBytes: directUploadMaxBytes(config.maxImageBytes),
      accessLogBucket: storage.logBucket,
      removalPolicy,
    });
    // The console is served from the CDN's origin: the API answers CORS for it, and for no one else unasked.
    api.addCorsOrigin(cdn.baseUrl);
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${cdn.baseUrl}${CONSOLE_PATH}/`,
      description: 'The files page: browse, upload, find, copy and delete images with an API key',
    });
    new CfnOutput(this, 'ApiUrl', {
      value: api.restApi.url,
      description:
        'Base URL of the API (POST /uploads, POST /presign, /objects, GET /health, GET /openapi.json)',
    });
    new CfnOutput(this, 'CdnBaseUrl', { value: cdn.baseUrl, description: 'Base of the public image URLs' });
    new CfnOutput(this, 'CdnDistributionDomain', {
      value: cdn.distribution.distributionDomainName,
      description: 'Target of the DNS alias (CNAME/ALIAS) when a custom domain is configured',
    });
    new CfnOutput(this, 'UploadCheckFailuresQueueUrl', {
      value: uploadCheck.failures.queueUrl,
      description: 'SQS queue holding S3 events whose upload check failed every attempt (should stay empty)',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${operations.dashboard.dashboardName}`,
      description: 'The operations dashboard: alarms, 5xx rates, storage faults, rendering durations, checks',
    });
    for (const [name, key] of clients.previousKeys) {
      const id = outputIdOf(name);
      new CfnOutput(this, `PreviousApiKeyId${id}`, {
        value: key.keyId,
        description: `Outgoing API key id of client "${name}", valid until previousKeyGeneration is removed`,
      });
    }
    for (const [name, key] of clients.keys) {
      const id = outputIdOf(name);
      new CfnOutput(this, `ApiKeyId${id}`, {
        value: key.keyId,
        description: `API key id of client "${name}"`,
      });
      new CfnOutput(this, `ApiKeyCommand${id}`, {
        value: `aws apigateway get-api-key --api-key ${key.keyId} --include-value --query value --output text --region ${this.region}`,
        description: `Prints the API key value of client "${name}"`,
      });
    }
  }
}
