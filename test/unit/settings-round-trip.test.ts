import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as cors from '../../lambdas/settings/cors';
import * as erasure from '../../lambdas/settings/erasure';
import * as fits from '../../lambdas/settings/fits';
import * as invalidation from '../../lambdas/settings/invalidation';
import * as presign from '../../lambdas/settings/presign';
import * as reconcile from '../../lambdas/settings/reconcile';
import * as renditions from '../../lambdas/settings/renditions';
import * as s3Client from '../../lambdas/settings/s3-client';
import {
  ConfigError,
  DeployConfigError,
  environmentOf,
  loadSettings,
  readContext,
  type Setting,
  type SettingGroup,
} from '../../lambdas/settings/setting';
import * as sourceFetch from '../../lambdas/settings/source-fetch';
import * as throttle from '../../lambdas/settings/throttle';
import * as tracing from '../../lambdas/settings/tracing';
import * as uploadLimits from '../../lambdas/settings/upload-limits';

/**
 * One test over every declaration in lambdas/settings/: a valid context value goes through the
 * environment the stack writes and comes back equal from the function's cold-start reader; every
 * bound is refused at synth (naming the key, printing the fix) and at cold start (naming the
 * variable). A new setting fails "has cases" until its cases are added here.
 */

const FEATURES: Record<string, object> = {
  cors,
  erasure,
  fits,
  invalidation,
  presign,
  reconcile,
  renditions,
  's3-client': s3Client,
  'source-fetch': sourceFetch,
  throttle,
  tracing,
  'upload-limits': uploadLimits,
};

const isSetting = (value: unknown): value is Setting<unknown> =>
  typeof value === 'object' && value !== null && 'parse' in value && 'format' in value;
const isGroup = (value: unknown): value is SettingGroup =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length > 0 &&
  Object.values(value).every(isSetting);

const GROUPS = Object.values(FEATURES).flatMap((feature) => Object.values(feature).filter(isGroup));
const SETTINGS = GROUPS.flatMap((group) =>
  Object.values(group).map((setting) => ({ group, setting, name: setting.envName! })),
);

/** A value with the context it needs (an earlier setting it is bounded by). */
type Sample = unknown | { readonly value: unknown; readonly with: Readonly<Record<string, unknown>> };
interface Cases {
  readonly valid: readonly Sample[];
  readonly refused: readonly Sample[];
}

const sizes65 = Array.from({ length: 65 }, (_, i) => 16 + i);

/** By environment variable: raw context values (or environment strings, for env-only settings). */
const CASES: Readonly<Record<string, Cases>> = {
  MAX_IMAGE_BYTES: { valid: ['1000', 6_291_456], refused: [0, 6_291_457, 'big', 1.5] },
  MAX_IMAGE_PIXELS: { valid: ['5000'], refused: ['0', '1000000001', 'lots'] },
  MAX_DIRECT_UPLOAD_BYTES: { valid: ['20000000'], refused: [0, 2 ** 30 + 1, '100MB'] },
  PRESIGN_MAX_EXPIRES_SECONDS: { valid: ['604800', 900], refused: [0, 604_801] },
  PRESIGN_DEFAULT_EXPIRES_SECONDS: {
    valid: [600, { value: 900, with: { presignMaxExpiresSeconds: 900 } }],
    refused: [0, { value: 3600, with: { presignMaxExpiresSeconds: 600 } }],
  },
  PRESIGN_UPLOAD_LIMIT: { valid: ['50'], refused: [0, 1_000_001] },
  PRESIGN_UPLOAD_WINDOW_SECONDS: { valid: [600], refused: [59, 30 * 86_400 + 1] },
  SOURCE_TIMEOUT_MS: { valid: [3000], refused: [999, 15_001] },
  SOURCE_HOST_ALLOWLIST: {
    valid: [['Matrix.Example.org', '*.example.net'], 'a.example.org'],
    refused: [[], ['https://matrix.example.org']],
  },
  SOURCE_ALLOW_HTTP: { valid: [true, 'false'], refused: ['yes'] },
  SOURCE_ALLOWED_PORTS: { valid: [[443, 8448], '443'], refused: ['443,99999', []] },
  SOURCE_DENY_CIDRS: {
    valid: [['93.184.216.0/24'], '203.0.113.0/24,2001:db8::/32'],
    refused: ['10.0.0.0/99'],
  },
  SOURCE_HEADER_ALLOWLIST: { valid: [[], 'Authorization,X-Api-Key'], refused: [['authorization', 'host']] },
  SOURCE_MAX_REDIRECTS: { valid: [0, '10'], refused: [11, -1] },
  SOURCE_STALL_TIMEOUT_MS: {
    valid: [500, { value: 2000, with: { sourceTimeoutMs: 2000 } }],
    refused: [99, { value: 3000, with: { sourceTimeoutMs: 2000 } }],
  },
  SOURCE_MAX_BYTES: { valid: [1_000_000], refused: [0, 100 * 1024 * 1024 + 1] },
  RENDITION_MAX_EDGE_PX: { valid: [2048, '16'], refused: [15, 8193] },
  RENDITION_SIZES: {
    valid: ['snap', 'any', [1024, 256, 512, 256], { value: 'any', with: { 'renditions.maxEdgePx': 8192 } }],
    refused: ['all', [], [256.5], sizes65, { value: [512, 2048], with: { 'renditions.maxEdgePx': 1024 } }],
  },
  ERASE_IN_BACKGROUND_ABOVE: { valid: [0, '25'], refused: [-1, 100_001] },
  RECONCILE_GRACE_SECONDS: { valid: ['0', '3600'], refused: ['-1', '86401', 'soon'] },
  CORS_ORIGINS: {
    valid: [['https://Console.Example.com'], 'https://a.example.com, http://localhost:5173'],
    refused: ['*', 'https://console.example.com/app'],
  },
  S3_CONNECT_TIMEOUT_MS: { valid: ['50'], refused: ['9', '10001'] },
  S3_REQUEST_TIMEOUT_MS: { valid: ['200'], refused: ['9', '20001'] },
  S3_MAX_ATTEMPTS: { valid: ['2'], refused: ['0', '6'] },
  THROTTLE_RATE_PER_SECOND: { valid: ['3'], refused: ['0', '10001'] },
  THROTTLE_BURST: { valid: ['5'], refused: ['0', '5001'] },
  POWERTOOLS_TRACE_ENABLED: { valid: [true, 'false'], refused: ['yes'] },
  CDN_INVALIDATE_ON_DELETE: { valid: ['false', true], refused: ['yes'] },
  DEFAULT_FIT: { valid: ['anthropic'], refused: ['huge'] },
  CLIENT_FITS: { valid: ['bot=openai,web=gemini'], refused: ['bot=gpt-9', 'Bot=openai', 'bot'] },
};

const unpack = (sample: Sample) =>
  typeof sample === 'object' && sample !== null && 'with' in sample && 'value' in sample
    ? (sample as { value: unknown; with: Record<string, unknown> })
    : { value: sample, with: {} };

/** How `-c key=…` or the environment spells a context value. */
const asEnvironmentText = (value: unknown) =>
  Array.isArray(value) ? (value.length === 0 ? 'none' : value.join(',')) : String(value);

const rows = SETTINGS.flatMap(({ group, setting, name }) =>
  (CASES[name]?.valid ?? []).map((sample) => ({ group, setting, name, ...unpack(sample) })),
);
const refusals = SETTINGS.flatMap(({ group, setting, name }) =>
  (CASES[name]?.refused ?? []).map((sample) => ({ group, setting, name, ...unpack(sample) })),
);
const deployable = (row: { setting: Setting<unknown> }) => row.setting.contextKey !== undefined;

describe('every setting declaration', () => {
  it('has cases: one feature file per concern, every setting with a valid value and its bounds', () => {
    // Prepare
    const files = readdirSync(new URL('../../lambdas/settings/', import.meta.url))
      .filter((file) => !file.startsWith('setting'))
      .map((file) => file.replace(/\.ts$/, ''));

    // Assess
    expect(files.sort()).toEqual(Object.keys(FEATURES).sort());
    expect(SETTINGS.map(({ name }) => name).sort()).toEqual(Object.keys(CASES).sort());
    for (const { name } of SETTINGS) {
      expect(CASES[name]!.valid.length, name).toBeGreaterThan(0);
      expect(CASES[name]!.refused.length, name).toBeGreaterThan(0);
    }
  });

  it.each(
    GROUPS.map(
      (group) =>
        [
          Object.values(group)
            .map((s) => s.envName)
            .join(', '),
          group,
        ] as const,
    ),
  )('writes the defaults of %s as the function reads them when nothing is set', (_names, group) => {
    // Act
    const values = readContext(group, () => undefined);
    const environment = environmentOf(values, [group]);

    // Assess
    expect(loadSettings(group, environment)).toEqual(values);
    expect(loadSettings(group, {})).toEqual(values);
  });

  it.each(rows.filter(deployable).map((row) => [row.name, row.value, row] as const))(
    '%s: context %j reaches the function through its environment unchanged',
    (_name, value, { group, setting, with: earlier }) => {
      // Prepare
      const context: Record<string, unknown> = { ...earlier, [setting.contextKey!]: value };

      // Act
      const values = readContext(group, (key) => context[key]);
      const environment = environmentOf(values, [group]);

      // Assess
      expect(environment[setting.envName!]).toBeDefined();
      expect(loadSettings(group, environment)).toEqual(values);
    },
  );

  it.each(rows.filter((row) => !deployable(row)).map((row) => [row.name, row.value, row] as const))(
    '%s=%s (set by code, not the context) is written back as it was read',
    (name, value, { group }) => {
      // Act
      const values = loadSettings(group, { [name]: String(value) });

      // Assess
      expect(environmentOf(values, [group])[name]).toBe(String(value));
    },
  );

  it.each(refusals.filter(deployable).map((row) => [row.setting.contextKey!, row.value, row] as const))(
    'refuses context "%s" = %j at synth, naming it and printing the fix',
    (key, value, { group, setting, with: earlier }) => {
      // Prepare
      const earlierValues = readContext(group, (contextKey) => earlier[contextKey]);
      const settingsRead = new Map(
        Object.entries(group).map(([field, declared]) => [declared, (earlierValues as never)[field]]),
      );
      const fix = setting.fix(<T>(declared: Setting<T>) => settingsRead.get(declared) as T);
      const context: Record<string, unknown> = { ...earlier, [key]: value };

      // Act
      const read = () => readContext(group, (contextKey) => context[contextKey]);

      // Assess
      expect(read).toThrow(DeployConfigError);
      expect(read).toThrow(`context "${key}" must be `);
      expect(read).toThrow(`; ${fix}`);
    },
  );

  it.each(refusals.map((row) => [row.name, row.value, row] as const))(
    'fails at cold start on %s=%j, naming the variable',
    (name, value, { group, with: earlier }) => {
      // Prepare
      const environment = {
        ...environmentOf(
          readContext(group, (key) => earlier[key]),
          [group],
        ),
        [name]: asEnvironmentText(value),
      };

      // Act
      const load = () => loadSettings(group, environment);

      // Assess
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(new RegExp(`^${name}[ :]`));
    },
  );
});
