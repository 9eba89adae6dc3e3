import { DEFAULT_PROFILE, PROFILE_NAMES, type ProfileName } from '../lambdas/core/model-profiles';
import {
  DEFAULT_MAX_DIRECT_UPLOAD_BYTES,
  DEFAULT_MAX_IMAGE_BYTES,
  DEFAULT_ERASE_IN_BACKGROUND_ABOVE,
  DEFAULT_PRESIGN_UPLOAD_LIMIT,
  MAX_ERASE_IN_BACKGROUND_ABOVE,
  DEFAULT_PRESIGN_UPLOAD_WINDOW_SECONDS,
  LAMBDA_PAYLOAD_LIMIT_BYTES,
  MAX_DIRECT_UPLOAD_BYTES_CEILING,
} from '../lambdas/core/limits';
import { SIGV4_MAX_EXPIRES_SECONDS } from '../lambdas/core/sigv4-presign';
import {
  booleanSetting,
  cliFix,
  fail,
  jsonObject,
  oneOf,
  optionalString,
  wholeNumber,
} from './config-readers';
import { CLIENT_CONFIG_DEFAULTS, readClients, type ClientConfig } from './client-config';
import { readSourceConfig, SOURCE_CONFIG_DEFAULTS, type SourceDeployConfig } from './source-deploy-config';
import { readRenditionConfig, type RenditionDeployConfig } from './rendition-deploy-config';
import { readCorsOrigins } from './cors-deploy-config';
import { type FunctionMemoryConfig, readFunctionMemory } from './memory-deploy-config';

export { DeployConfigError } from './config-readers';
export type { SourceDeployConfig } from './source-deploy-config';
export { outputIdOf, type ClientConfig, type QuotaPeriod } from './client-config';

/**
 * Deploy-time configuration, read once from the CDK context (`cdk.json` "context", or
 * `-c key=value` on the command line) and checked here, so every mistake is reported
 * before anything is synthesized, naming the setting, the value received and the fix.
 */

export type PriceClassName = 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';

/** A custom CDN domain and its ACM certificate (which CloudFront requires in us-east-1). */
export interface CustomDomainConfig {
  readonly domainName: string;
  readonly certificateArn: string;
}

/** Everything `cdk deploy` can be told. */
export interface DeployConfig {
  readonly stackName: string;
  readonly clients: readonly ClientConfig[];
  /** Largest decoded image on the base64 route, in bytes. */
  readonly maxImageBytes: number;
  /** Profile of uploads that name none (`fit`), for clients without their own. */
  readonly defaultFit: ProfileName;
  /** Life of a presigned URL whose request names none, in seconds. */
  readonly presignDefaultExpiresSeconds: number;
  /** Longest life a presign request may ask for, in seconds (SigV4 allows at most 604 800). */
  readonly presignMaxExpiresSeconds: number;
  /** Largest file a presigned PUT may upload, in bytes; also sizes the check function. */
  readonly maxDirectUploadBytes: number;
  /** Whether deleting an object also invalidates the CDN's cached copy. */
  readonly invalidateOnDelete: boolean;
  /** Retention of Lambda, API access and S3/CDN access logs, in days. */
  readonly logRetentionDays: number;
  readonly priceClass: PriceClassName;
  readonly customDomain?: CustomDomainConfig;
  /** Whether `cdk destroy` keeps the buckets and log groups (`retain`) or deletes them. */
  readonly removalPolicy: 'retain' | 'destroy';
  /** Days after which stored images are deleted; undefined: kept until deleted. */
  readonly objectExpirationDays?: number;
  /** ARN of a WAFv2 web ACL (scope CLOUDFRONT, us-east-1) to put in front of the CDN. */
  readonly webAclArn?: string;
  /** ISO 3166-1 alpha-2 country codes allowed to fetch from the CDN; undefined: everywhere. */
  readonly geoAllowlist?: readonly string[];
  /** Uploads from a URL (`sourceUrl`). */
  readonly source: SourceDeployConfig;
  /** Renditions made at the CDN (`renditions`: docs/cdn-renditions.md). */
  readonly renditions: RenditionDeployConfig;
  /** Stage-wide ceiling of the API, whatever the usage plans allow: requests per second and burst. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Reserved (and so maximum) concurrent executions per function; undefined: unreserved. */
  readonly reservedConcurrency?: Readonly<Record<FunctionName, number>>;
  /** Presigned uploads a client may be given per `presignUploadWindowSeconds`, counted by the service. */
  readonly presignUploadLimit: number;
  /** Window of `presignUploadLimit`, in seconds. */
  readonly presignUploadWindowSeconds: number;
  /** `DELETE /objects?folder=`: folders holding more images than this are erased in the background (202). */
  readonly eraseInBackgroundAbove: number;
  /** Hours between runs of the scheduled catalogue reconciler; 0: no schedule (run it by hand). */
  readonly reconcileEveryHours: number;
  /** Where alarms notify: an e-mail address (a topic is created) or an existing SNS topic; undefined: nowhere. */
  readonly alarmEmail?: string;
  readonly alarmTopicArn?: string;
  /** Active X-Ray tracing of the API stage and the functions (Powertools Tracer). */
  readonly tracing: boolean;
  /** Browser origins that may call the API (CORS); none by default, never `*`. */
  readonly corsOrigins: readonly string[];
  /** `--enable-source-maps` on every function: stacks at the sources, for ≈17 ms per cold start. */
  readonly sourceMapStackTraces: boolean;
  /** Memory of the rendering functions in MB (their CPU share: 1,769 MB is one vCPU). */
  readonly functionMemory: FunctionMemoryConfig;
}

/** The functions of the stack, by capability. */
export const FUNCTION_NAMES = ['upload', 'presign', 'objects', 'checkUpload', 'render'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The context keys this app reads; anything else in the context is CDK's own. */
export const CONTEXT_KEYS = [
  'stackName',
  'clients',
  'maxImageBytes',
  'defaultFit',
  'presignDefaultExpiresSeconds',
  'presignMaxExpiresSeconds',
  'maxDirectUploadBytes',
  'invalidateOnDelete',
  'logRetentionDays',
  'priceClass',
  'domainName',
  'certificateArn',
  'removalPolicy',
  'objectExpirationDays',
  'webAclArn',
  'geoAllowlist',
  'sourceAllowHttp',
  'sourceAllowedPorts',
  'sourceHostAllowlist',
  'sourceDenyCidrs',
  'sourceHeaderAllowlist',
  'sourceMaxRedirects',
  'sourceTimeoutMs',
  'sourceStallTimeoutMs',
  'sourceMaxBytes',
  'renditions',
  'apiRateLimit',
  'apiBurstLimit',
  'reservedConcurrency',
  'presignUploadLimit',
  'presignUploadWindowSeconds',
  'eraseInBackgroundAbove',
  'reconcileEveryHours',
  'alarmEmail',
  'alarmTopicArn',
  'tracing',
  'corsOrigins',
  'functionMemory',
  'sourceMapStackTraces',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

export const CONFIG_DEFAULTS = {
  stackName: 'S3ImageProxy',
  ...CLIENT_CONFIG_DEFAULTS,
  maxImageBytes: DEFAULT_MAX_IMAGE_BYTES,
  defaultFit: DEFAULT_PROFILE,
  presignDefaultExpiresSeconds: 3600,
  presignMaxExpiresSeconds: 86_400,
  maxDirectUploadBytes: DEFAULT_MAX_DIRECT_UPLOAD_BYTES,
  invalidateOnDelete: true,
  logRetentionDays: 30,
  priceClass: 'PriceClass_100',
  removalPolicy: 'retain',
  ...SOURCE_CONFIG_DEFAULTS,
  // Twice one client's default rate: a ceiling for the whole API, not a per-client allowance.
  apiRateLimit: 100,
  apiBurstLimit: 200,
  // 35 in all: the account keeps at least 100 unreserved, so it needs a limit of 135 or more.
  reservedConcurrency: { upload: 10, presign: 5, objects: 5, checkUpload: 5, render: 10 },
  presignUploadLimit: DEFAULT_PRESIGN_UPLOAD_LIMIT,
  presignUploadWindowSeconds: DEFAULT_PRESIGN_UPLOAD_WINDOW_SECONDS,
  eraseInBackgroundAbove: DEFAULT_ERASE_IN_BACKGROUND_ABOVE,
  // Daily: a crash between S3 and DynamoDB is rare, and a run reads every record and object.
  reconcileEveryHours: 24,
  tracing: false,
  sourceMapStackTraces: false,
} as const;

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const PRICE_CLASSES: readonly PriceClassName[] = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'];
function readCustomDomain(domainValue: unknown, certificateValue: unknown): CustomDomainConfig | undefined {
  const domainName = optionalString(domainValue, 'domainName', cliFix('domainName', 'images.example.com'));
  const certificateArn = optionalString(
    certificateValue,
    'certificateArn',
    cliFix('certificateArn', 'arn:aws:acm:us-east-1:…'),
  );
  if (domainName === undefined && certificateArn === undefined) return undefined;
  if (
    domainName === undefined ||
    !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domainName)
  ) {
    return fail(
      'domainName',
      'a lower-case DNS name such as images.example.com when certificateArn is set',
      domainValue ?? 'nothing',
      cliFix('domainName', 'images.example.com'),
    );
  }
  if (
    certificateArn === undefined ||
    !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)
  ) {
    return fail(
      'certificateArn',
      'the ARN of an ACM certificate in us-east-1 (CloudFront only reads certificates there) when domainName is set',
      certificateValue ?? 'nothing',
      'request or import the certificate in us-east-1 and pass -c certificateArn=arn:aws:acm:us-east-1:<account>:certificate/<id>',
    );
  }
  return { domainName, certificateArn };
}

function readGeoAllowlist(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const codes = typeof value === 'string' ? value.split(',').map((code) => code.trim()) : value;
  const fix = cliFix('geoAllowlist', 'US,CA,DE');
  if (
    !Array.isArray(codes) ||
    codes.length === 0 ||
    !codes.every((code) => typeof code === 'string' && /^[A-Z]{2}$/.test(code))
  ) {
    return fail(
      'geoAllowlist',
      'ISO 3166-1 alpha-2 country codes (upper case), as a list or comma-separated',
      value,
      fix,
    );
  }
  return codes as string[];
}

const RESERVED_CONCURRENCY_FIX =
  'set it in cdk.json "context", e.g. "reservedConcurrency": {"upload": 10, "presign": 5, "objects": 5, "checkUpload": 5, "render": 10}, or pass -c reservedConcurrency=off in an account whose concurrency limit is too low to reserve any';

function readReservedConcurrency(value: unknown): Record<FunctionName, number> | undefined {
  if (value === 'off' || value === false || value === 'false') return undefined;
  const fields = jsonObject(value ?? {}, 'reservedConcurrency', RESERVED_CONCURRENCY_FIX);
  for (const field of Object.keys(fields)) {
    if (!(FUNCTION_NAMES as readonly string[]).includes(field))
      fail(
        'reservedConcurrency',
        `an object with only ${FUNCTION_NAMES.join(', ')}`,
        field,
        RESERVED_CONCURRENCY_FIX,
      );
  }
  const defaults = CONFIG_DEFAULTS.reservedConcurrency;
  return Object.fromEntries(
    FUNCTION_NAMES.map((name) => [
      name,
      wholeNumber(
        fields[name] ?? defaults[name],
        `reservedConcurrency.${name}`,
        1,
        1000,
        RESERVED_CONCURRENCY_FIX,
      ),
    ]),
  ) as Record<FunctionName, number>;
}

function readAlarmTargets(
  emailValue: unknown,
  topicValue: unknown,
): { alarmEmail?: string; alarmTopicArn?: string } {
  const alarmEmail = optionalString(emailValue, 'alarmEmail', cliFix('alarmEmail', 'ops@example.com'));
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail))
    fail('alarmEmail', 'an e-mail address', alarmEmail, cliFix('alarmEmail', 'ops@example.com'));
  const alarmTopicArn = optionalString(topicValue, 'alarmTopicArn', cliFix('alarmTopicArn', 'arn:aws:sns:…'));
  if (
    alarmTopicArn !== undefined &&
    !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(alarmTopicArn)
  )
    fail(
      'alarmTopicArn',
      "the ARN of an SNS topic in the stack's region",
      alarmTopicArn,
      cliFix('alarmTopicArn', 'arn:aws:sns:eu-west-1:123456789012:ops-alarms'),
    );
  return {
    ...(alarmEmail !== undefined && { alarmEmail }),
    ...(alarmTopicArn !== undefined && { alarmTopicArn }),
  };
}

/**
 * Validates the raw context values into a `DeployConfig`. Throws `DeployConfigError` on the
 * first bad value, naming the setting, the value received and how to fix it.
 */
export function readDeployConfig(context: Readonly<Partial<Record<ContextKey, unknown>>>): DeployConfig {
  const stackName =
    optionalString(context.stackName, 'stackName', cliFix('stackName', 'S3ImageProxy')) ??
    CONFIG_DEFAULTS.stackName;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    fail(
      'stackName',
      'a CloudFormation stack name (a letter, then letters, digits and -)',
      stackName,
      cliFix('stackName', 'S3ImageProxy'),
    );
  }
  const webAclArn = optionalString(
    context.webAclArn,
    'webAclArn',
    cliFix('webAclArn', 'arn:aws:wafv2:us-east-1:…'),
  );
  if (
    webAclArn !== undefined &&
    !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/.test(webAclArn)
  ) {
    fail(
      'webAclArn',
      'the ARN of a WAFv2 web ACL of scope CLOUDFRONT (us-east-1, global/webacl/…)',
      webAclArn,
      'create the web ACL with scope CLOUDFRONT in us-east-1 and pass its ARN',
    );
  }
  const expiry = context.objectExpirationDays;
  const presignMaxExpiresSeconds = wholeNumber(
    context.presignMaxExpiresSeconds ?? CONFIG_DEFAULTS.presignMaxExpiresSeconds,
    'presignMaxExpiresSeconds',
    1,
    SIGV4_MAX_EXPIRES_SECONDS,
    `${cliFix('presignMaxExpiresSeconds', '86400')}; SigV4 presigned URLs live at most 7 days`,
  );
  const presignDefaultExpiresSeconds = wholeNumber(
    context.presignDefaultExpiresSeconds ??
      Math.min(CONFIG_DEFAULTS.presignDefaultExpiresSeconds, presignMaxExpiresSeconds),
    'presignDefaultExpiresSeconds',
    1,
    presignMaxExpiresSeconds,
    `${cliFix('presignDefaultExpiresSeconds', '3600')}; it cannot exceed presignMaxExpiresSeconds (${presignMaxExpiresSeconds})`,
  );
  return {
    stackName,
    clients: readClients(context.clients),
    maxImageBytes: wholeNumber(
      context.maxImageBytes ?? CONFIG_DEFAULTS.maxImageBytes,
      'maxImageBytes',
      1,
      // Lambda's request limit: no decoded image through the base64 route can be larger.
      LAMBDA_PAYLOAD_LIMIT_BYTES,
      `${cliFix('maxImageBytes', String(DEFAULT_MAX_IMAGE_BYTES))}; larger files go through presigned uploads`,
    ),
    defaultFit: oneOf(
      context.defaultFit ?? CONFIG_DEFAULTS.defaultFit,
      PROFILE_NAMES,
      'defaultFit',
      cliFix('defaultFit', 'universal'),
    ),
    presignDefaultExpiresSeconds,
    presignMaxExpiresSeconds,
    maxDirectUploadBytes: wholeNumber(
      context.maxDirectUploadBytes ?? CONFIG_DEFAULTS.maxDirectUploadBytes,
      'maxDirectUploadBytes',
      1,
      // The check function holds an upload in memory (twice, briefly) to check and hash it whole.
      MAX_DIRECT_UPLOAD_BYTES_CEILING,
      `${cliFix('maxDirectUploadBytes', String(DEFAULT_MAX_DIRECT_UPLOAD_BYTES))}; the check function reads each upload whole into memory`,
    ),
    invalidateOnDelete: booleanSetting(
      context.invalidateOnDelete ?? CONFIG_DEFAULTS.invalidateOnDelete,
      'invalidateOnDelete',
      cliFix('invalidateOnDelete', 'false'),
    ),
    logRetentionDays: oneOf(
      context.logRetentionDays ?? CONFIG_DEFAULTS.logRetentionDays,
      LOG_RETENTION_DAYS,
      'logRetentionDays',
      cliFix('logRetentionDays', '30'),
    ),
    priceClass: oneOf(
      context.priceClass ?? CONFIG_DEFAULTS.priceClass,
      PRICE_CLASSES,
      'priceClass',
      cliFix('priceClass', 'PriceClass_100'),
    ),
    customDomain: readCustomDomain(context.domainName, context.certificateArn),
    removalPolicy: oneOf(
      context.removalPolicy ?? CONFIG_DEFAULTS.removalPolicy,
      ['retain', 'destroy'] as const,
      'removalPolicy',
      cliFix('removalPolicy', 'retain'),
    ),
    objectExpirationDays:
      expiry === undefined || expiry === null || expiry === ''
        ? undefined
        : wholeNumber(
            expiry,
            'objectExpirationDays',
            1,
            36_500,
            `${cliFix('objectExpirationDays', '7')}, or leave it unset to keep objects`,
          ),
    webAclArn,
    geoAllowlist: readGeoAllowlist(context.geoAllowlist),
    source: readSourceConfig(context),
    renditions: readRenditionConfig(context.renditions),
    apiThrottle: {
      rateLimit: wholeNumber(
        context.apiRateLimit ?? CONFIG_DEFAULTS.apiRateLimit,
        'apiRateLimit',
        1,
        10_000,
        `${cliFix('apiRateLimit', '100')}; it caps the whole API, every client together`,
      ),
      burstLimit: wholeNumber(
        context.apiBurstLimit ?? CONFIG_DEFAULTS.apiBurstLimit,
        'apiBurstLimit',
        1,
        5_000,
        `${cliFix('apiBurstLimit', '200')}; it caps the whole API, every client together`,
      ),
    },
    reservedConcurrency: readReservedConcurrency(context.reservedConcurrency),
    eraseInBackgroundAbove: wholeNumber(
      context.eraseInBackgroundAbove ?? CONFIG_DEFAULTS.eraseInBackgroundAbove,
      'eraseInBackgroundAbove',
      0,
      MAX_ERASE_IN_BACKGROUND_ABOVE,
      cliFix('eraseInBackgroundAbove', String(DEFAULT_ERASE_IN_BACKGROUND_ABOVE)),
    ),
    reconcileEveryHours: wholeNumber(
      context.reconcileEveryHours ?? CONFIG_DEFAULTS.reconcileEveryHours,
      'reconcileEveryHours',
      0,
      24 * 7,
      `${cliFix('reconcileEveryHours', '24')}; 0 turns the schedule off`,
    ),
    presignUploadLimit: wholeNumber(
      context.presignUploadLimit ?? CONFIG_DEFAULTS.presignUploadLimit,
      'presignUploadLimit',
      1,
      1_000_000,
      cliFix('presignUploadLimit', String(DEFAULT_PRESIGN_UPLOAD_LIMIT)),
    ),
    presignUploadWindowSeconds: wholeNumber(
      context.presignUploadWindowSeconds ?? CONFIG_DEFAULTS.presignUploadWindowSeconds,
      'presignUploadWindowSeconds',
      60,
      30 * 86_400,
      cliFix('presignUploadWindowSeconds', String(DEFAULT_PRESIGN_UPLOAD_WINDOW_SECONDS)),
    ),
    ...readAlarmTargets(context.alarmEmail, context.alarmTopicArn),
    tracing: booleanSetting(context.tracing ?? CONFIG_DEFAULTS.tracing, 'tracing', cliFix('tracing', 'true')),
    corsOrigins: readCorsOrigins(context.corsOrigins),
    functionMemory: readFunctionMemory(context.functionMemory),
    sourceMapStackTraces: booleanSetting(
      context.sourceMapStackTraces ?? CONFIG_DEFAULTS.sourceMapStackTraces,
      'sourceMapStackTraces',
      cliFix('sourceMapStackTraces', 'true'),
    ),
  };
}
