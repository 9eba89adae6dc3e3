import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeployConfigError, readDeployConfig } from '../../infra/config';
import { REPO_ROOT } from '../../infra/lambda-bundling';
import {
  RENDITION_CONFIG_DEFAULTS,
  RENDITION_MAX_SIZE_COUNT,
  readRenditionConfig,
} from '../../infra/rendition-deploy-config';
import { environmentOf } from '../../lambdas/settings/setting';
import { loadRenditionBounds, renditionBoundSettings } from '../../lambdas/settings/renditions';
import { ENV } from '../../lambdas/adapters/env-names';
import {
  DEFAULT_RENDITION_MAX_EDGE_PX,
  DEFAULT_RENDITION_SIZES,
  RENDITION_MAX_EDGE_LIMIT_PX,
} from '../../lambdas/core/cdn-rendition';

describe('readRenditionConfig (context "renditions")', () => {
  it('turns renditions on with the built-in bounds, a 30-day expiry and no Origin Shield when unset', () => {
    // Act
    const config = readRenditionConfig(undefined);

    // Assess
    expect(config).toEqual({
      enabled: true,
      bounds: { maxEdgePx: DEFAULT_RENDITION_MAX_EDGE_PX, sizes: DEFAULT_RENDITION_SIZES },
      expirationDays: 30,
    });
  });

  it('deploys the settings cdk.json documents as the code’s defaults', () => {
    // Prepare
    const cdkJson = JSON.parse(readFileSync(`${REPO_ROOT}cdk.json`, 'utf8')) as {
      context: Record<string, unknown>;
    };

    // Act
    const config = readRenditionConfig(cdkJson.context.renditions);

    // Assess
    expect(cdkJson.context.renditions).toEqual(RENDITION_CONFIG_DEFAULTS);
    expect(config).toEqual(readRenditionConfig(undefined));
  });

  it('reads every field, from cdk.json or as the JSON string `cdk -c renditions=…` passes', () => {
    // Prepare
    const fields = {
      enabled: 'true',
      maxEdgePx: '2048',
      sizes: [1024, 256, 512, 256],
      expirationDays: '7',
      originShieldRegion: 'eu-central-1',
    };

    // Act
    const fromJson = readRenditionConfig(fields);
    const fromCli = readRenditionConfig(JSON.stringify(fields));

    // Assess
    expect(fromJson).toEqual({
      enabled: true,
      bounds: { maxEdgePx: 2048, sizes: [256, 512, 1024] },
      expirationDays: 7,
      originShieldRegion: 'eu-central-1',
    });
    expect(fromCli).toEqual(fromJson);
  });

  it.each([['off'], [false], ['false']])('reads %j as renditions turned off', (value) => {
    // Act
    const config = readRenditionConfig(value);

    // Assess
    expect(config.enabled).toBe(false);
  });

  it('snaps to the built-in sizes up to a lower longest edge, and to none with "any"', () => {
    // Act
    const snapped = readRenditionConfig({ maxEdgePx: 1000 });
    const any = readRenditionConfig({ maxEdgePx: 1000, sizes: 'any' });
    const listed = readRenditionConfig({ sizes: '640, 320,1280' });

    // Assess
    expect(snapped.bounds).toEqual({
      maxEdgePx: 1000,
      sizes: DEFAULT_RENDITION_SIZES.filter((size) => size <= 1000),
    });
    expect(Math.max(...(snapped.bounds.sizes ?? []))).toBe(800);
    expect(any.bounds).toEqual({ maxEdgePx: 1000 });
    expect(listed.bounds.sizes).toEqual([320, 640, 1280]);
  });

  it('is what readDeployConfig returns as `renditions`', () => {
    // Act
    const config = readDeployConfig({ clients: { alice: {} }, renditions: { expirationDays: 90 } });

    // Assess
    expect(config.renditions).toEqual(readRenditionConfig({ expirationDays: 90 }));
  });

  it.each([
    ['an unknown field', { maxWidth: 800 }, ['"renditions"', '"maxWidth"', 'cdk.json']],
    ['a value that is not JSON', '{maxEdgePx: 800}', ['"renditions"', 'JSON object']],
    ['a longest edge below 16', { maxEdgePx: 15 }, ['"renditions.maxEdgePx"', 'from 16 to', 'got 15']],
    [
      'a longest edge over the limit',
      { maxEdgePx: RENDITION_MAX_EDGE_LIMIT_PX + 1 },
      ['"renditions.maxEdgePx"', `to ${RENDITION_MAX_EDGE_LIMIT_PX}`, '"maxEdgePx": 4096'],
    ],
    ['sizes by an unknown name', { sizes: 'all' }, ['"renditions.sizes"', '"snap", "any"', '"all"']],
    ['an empty size list', { sizes: [] }, ['"renditions.sizes"', 'whole numbers']],
    [
      'a size over the longest edge',
      { maxEdgePx: 1024, sizes: [512, 2048] },
      ['"renditions.sizes"', 'from 1 to maxEdgePx (1024)', '[512,2048]'],
    ],
    ['a fractional size', { sizes: [256.5] }, ['"renditions.sizes"', 'whole numbers']],
    [
      'more sizes than the edge function and the environment can carry',
      { sizes: Array.from({ length: RENDITION_MAX_SIZE_COUNT + 1 }, (_, i) => 16 + i) },
      ['"renditions.sizes"', `at most ${RENDITION_MAX_SIZE_COUNT} sizes`],
    ],
    ['an expiry of zero days', { expirationDays: 0 }, ['"renditions.expirationDays"', 'got 0']],
    ['an enabled flag that is not a boolean', { enabled: 'yes' }, ['"renditions.enabled"', 'true or false']],
    [
      'an Origin Shield region that is not a region name',
      { originShieldRegion: 'Frankfurt' },
      ['"renditions.originShieldRegion"', 'region name', '"Frankfurt"', 'leave it unset'],
    ],
  ])('refuses %s, naming the setting, the value and the fix', (_case, value, fragments) => {
    // Act
    const read = () => readRenditionConfig(value);

    // Assess
    expect(read).toThrow(DeployConfigError);
    for (const fragment of fragments) expect(read).toThrow(fragment);
  });
});

describe('the environment of the rendition bounds', () => {
  it.each([
    ['the built-in sizes', {}],
    ['"any" size', { sizes: 'any', maxEdgePx: 8192 }],
    ['a size list', { sizes: [100, 50], maxEdgePx: 100 }],
  ])('gives the rendering function, for %s, exactly the bounds the edge gets', (_case, fields) => {
    // Prepare
    const { bounds } = readRenditionConfig(fields);

    // Act
    const environment = environmentOf(bounds, [renditionBoundSettings]);

    // Assess
    expect(Object.keys(environment).sort()).toEqual([ENV.renditionMaxEdgePx, ENV.renditionSizes].sort());
    expect(loadRenditionBounds(environment)).toEqual(bounds);
  });

  it('writes "any" when sizes are not snapped, and the sizes comma-separated otherwise', () => {
    // Act
    const any = environmentOf({ maxEdgePx: 2048 }, [renditionBoundSettings]);
    const listed = environmentOf({ maxEdgePx: 2048, sizes: [256, 1024] }, [renditionBoundSettings]);

    // Assess
    expect(any).toEqual({ RENDITION_MAX_EDGE_PX: '2048', RENDITION_SIZES: 'any' });
    expect(listed).toEqual({ RENDITION_MAX_EDGE_PX: '2048', RENDITION_SIZES: '256,1024' });
  });
});
