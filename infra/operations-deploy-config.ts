import { cliFix } from '../lambdas/settings/setting';
import { oneOfSetting, patternSetting, wholeNumberSetting } from '../lambdas/settings/setting-kinds';
import { fail, jsonObject, wholeNumber } from './config-readers';

/** The functions of the stack, by capability. */
export const FUNCTION_NAMES = ['upload', 'presign', 'objects', 'checkUpload', 'render'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const wholeApiFix = (setting: string, example: string) =>
  `${cliFix(setting, example)}; it caps the whole API, every client together`;

/** Deploy-only settings of running the stack: logs, ceilings, where alarms go. */
export const operationsSettings = {
  /** Retention of Lambda, API access and S3/CDN access logs, in days. */
  logRetentionDays: oneOfSetting<(typeof LOG_RETENTION_DAYS)[number]>({
    contextKey: 'logRetentionDays',
    fallback: 30,
    allowed: LOG_RETENTION_DAYS,
    example: '30',
  }),
  /** Where alarms notify: an e-mail address (a topic is created)… */
  alarmEmail: patternSetting({
    contextKey: 'alarmEmail',
    fallback: undefined,
    pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
    expected: 'an e-mail address',
    example: 'ops@example.com',
  }),
  /** Hours between runs of the scheduled catalogue reconciler; 0: no schedule (run it by hand). */
  reconcileEveryHours: wholeNumberSetting({
    contextKey: 'reconcileEveryHours',
    fallback: 24,
    min: 0,
    max: 24 * 7,
    fix: `${cliFix('reconcileEveryHours', '24')}; 0 turns the schedule off`,
  }),
  /** …or an existing SNS topic; neither: nowhere. */
  alarmTopicArn: patternSetting({
    contextKey: 'alarmTopicArn',
    fallback: undefined,
    pattern: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/,
    expected: "the ARN of an SNS topic in the stack's region",
    example: 'arn:aws:sns:eu-west-1:123456789012:ops-alarms',
  }),
};

/** Stage-wide ceiling of the API, whatever the usage plans allow: requests per second and burst. */
export const apiThrottleSettings = {
  // Twice one client's default rate: a ceiling for the whole API, not a per-client allowance.
  rateLimit: wholeNumberSetting({
    contextKey: 'apiRateLimit',
    fallback: 100,
    min: 1,
    max: 10_000,
    fix: wholeApiFix('apiRateLimit', '100'),
  }),
  burstLimit: wholeNumberSetting({
    contextKey: 'apiBurstLimit',
    fallback: 200,
    min: 1,
    max: 5_000,
    fix: wholeApiFix('apiBurstLimit', '200'),
  }),
};

// 35 in all: the account keeps at least 100 unreserved, so it needs a limit of 135 or more.
const RESERVED_CONCURRENCY_DEFAULTS: Readonly<Record<FunctionName, number>> = {
  upload: 10,
  presign: 5,
  objects: 5,
  checkUpload: 5,
  render: 10,
};

const RESERVED_CONCURRENCY_FIX =
  'set it in cdk.json "context", e.g. "reservedConcurrency": {"upload": 10, "presign": 5, "objects": 5, "checkUpload": 5, "render": 10}, or pass -c reservedConcurrency=off in an account whose concurrency limit is too low to reserve any';

/** Reads `reservedConcurrency`: each function's ceiling of concurrent runs, or `off`. */
export function readReservedConcurrency(value: unknown): Record<FunctionName, number> | undefined {
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
  return Object.fromEntries(
    FUNCTION_NAMES.map((name) => [
      name,
      wholeNumber(
        fields[name] ?? RESERVED_CONCURRENCY_DEFAULTS[name],
        `reservedConcurrency.${name}`,
        1,
        1000,
        RESERVED_CONCURRENCY_FIX,
      ),
    ]),
  ) as Record<FunctionName, number>;
}
