import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeployConfigError, readDeployConfig } from '../../infra/config';
import { REPO_ROOT } from '../../infra/lambda-bundling';
import { FUNCTION_MEMORY_DEFAULTS } from '../../infra/memory-deploy-config';
import { DEFAULT_MAX_IMAGE_BYTES, DEFAULT_THROTTLE } from '../../lambdas/core/limits';
import { DEFAULT_RENDITION_MAX_EDGE_PX, DEFAULT_RENDITION_SIZES } from '../../lambdas/core/cdn-rendition';

const clients = { default: {} };

describe('readDeployConfig', () => {
  it('fills every default from a context that names only the clients', () => {
    // Act
    const config = readDeployConfig({ clients });

    // Assess
    expect(config).toEqual({
      stackName: 'S3ImageProxy',
      clients: [
        {
          name: 'default',
          rateLimit: 50,
          burstLimit: 100,
          quotaLimit: undefined,
          quotaPeriod: 'DAY',
          keyGeneration: 1,
        },
      ],
      maxImageBytes: DEFAULT_MAX_IMAGE_BYTES,
      defaultFit: 'universal',
      presignDefaultExpiresSeconds: 3600,
      presignMaxExpiresSeconds: 86_400,
      maxDirectUploadBytes: 100 * 1024 * 1024,
      invalidateOnDelete: true,
      logRetentionDays: 30,
      priceClass: 'PriceClass_100',
      customDomain: undefined,
      removalPolicy: 'retain',
      objectExpirationDays: undefined,
      webAclArn: undefined,
      geoAllowlist: undefined,
      source: {
        allowHttp: false,
        allowedPorts: [443, 80],
        denyCidrs: [],
        headerAllowlist: ['authorization'],
        maxRedirects: 3,
        timeoutMs: 10_000,
        stallTimeoutMs: 5_000,
        maxBytes: 32 * 1024 * 1024,
      },
      renditions: {
        enabled: true,
        bounds: { maxEdgePx: DEFAULT_RENDITION_MAX_EDGE_PX, sizes: DEFAULT_RENDITION_SIZES },
        expirationDays: 30,
      },
      apiThrottle: { rateLimit: 100, burstLimit: 200 },
      reservedConcurrency: { upload: 10, presign: 5, objects: 5, checkUpload: 5, render: 10 },
      presignUploadLimit: 1000,
      presignUploadWindowSeconds: 3600,
      eraseInBackgroundAbove: 100,
      reconcileEveryHours: 24,
      reconcileGraceSeconds: 600,
      tracing: false,
      corsOrigins: [],
      functionMemory: FUNCTION_MEMORY_DEFAULTS,
      sourceMapStackTraces: false,
    });
  });

  it('reads corsOrigins from a list or -c a,b, in the form browsers send', () => {
    // Act
    const fromList = readDeployConfig({ clients, corsOrigins: ['https://Console.Example.com'] });
    const fromCli = readDeployConfig({
      clients,
      corsOrigins: 'https://a.example.com, http://localhost:5173',
    });

    // Assess
    expect(fromList.corsOrigins).toEqual(['https://console.example.com']);
    expect(fromCli.corsOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
  });

  it.each([
    ['*', /"\*" is refused: every route but \/health and \/openapi.json takes an API key/],
    ['https://console.example.com/app', /is not an origin: write scheme:\/\/host\[:port\]/],
  ])('refuses corsOrigins=%s at synth, saying why and how to fix it', (corsOrigins, why) => {
    // Act
    const read = () => readDeployConfig({ clients, corsOrigins });

    // Assess
    expect(read).toThrow(DeployConfigError);
    expect(read).toThrow(why);
    expect(read).toThrow(/pass -c corsOrigins=https:\/\/console.example.com/);
  });

  it('reads the operations settings: ceilings, alarm targets, tracing and a key rotation in progress', () => {
    // Act
    const config = readDeployConfig({
      clients: '{"alice":{"keyGeneration":3,"previousKeyGeneration":"2"}}',
      apiRateLimit: '40',
      apiBurstLimit: '80',
      reservedConcurrency: '{"upload": 4, "checkUpload": 2}',
      presignUploadLimit: '50',
      presignUploadWindowSeconds: '600',
      eraseInBackgroundAbove: '25',
      alarmEmail: 'ops@example.com',
      tracing: 'true',
    });

    // Assess
    expect(config).toMatchObject({
      clients: [{ name: 'alice', keyGeneration: 3, previousKeyGeneration: 2 }],
      apiThrottle: { rateLimit: 40, burstLimit: 80 },
      reservedConcurrency: { upload: 4, presign: 5, objects: 5, checkUpload: 2, render: 10 },
      presignUploadLimit: 50,
      presignUploadWindowSeconds: 600,
      eraseInBackgroundAbove: 25,
      alarmEmail: 'ops@example.com',
      tracing: true,
    });
    expect(readDeployConfig({ clients, reservedConcurrency: 'off' }).reservedConcurrency).toBeUndefined();
  });

  it('reads the rendering functions’ memory, a missing one keeping its default', () => {
    // Act
    const config = readDeployConfig({ clients, functionMemory: '{"upload": 3538}' });

    // Assess
    expect(config.functionMemory).toEqual({ ...FUNCTION_MEMORY_DEFAULTS, upload: 3538 });
    expect(readDeployConfig({ clients, sourceMapStackTraces: 'true' }).sourceMapStackTraces).toBe(true);
  });

  it('deploys the default client of cdk.json at the code’s default throttle, without a quota', () => {
    // Prepare
    const cdkJson = JSON.parse(readFileSync(`${REPO_ROOT}cdk.json`, 'utf8')) as {
      context: Record<string, unknown>;
    };

    // Act
    const config = readDeployConfig(cdkJson.context);

    // Assess
    expect(config.clients.find((client) => client.name === 'default')).toMatchObject({
      rateLimit: DEFAULT_THROTTLE.ratePerSecond,
      burstLimit: DEFAULT_THROTTLE.burst,
      quotaLimit: undefined,
    });
  });

  it('accepts the strings `cdk -c key=value` passes, JSON for clients included', () => {
    // Act
    const config = readDeployConfig({
      clients: '{"alice":{"rateLimit":"3","quotaLimit":100,"quotaPeriod":"MONTH","keyGeneration":2}}',
      maxImageBytes: '1000000',
      presignDefaultExpiresSeconds: '600',
      presignMaxExpiresSeconds: '604800',
      maxDirectUploadBytes: '20000000',
      invalidateOnDelete: 'false',
      logRetentionDays: '90',
      objectExpirationDays: '7',
      geoAllowlist: 'US,DE',
      domainName: 'images.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234',
    });

    // Assess
    expect(config).toMatchObject({
      clients: [
        {
          name: 'alice',
          rateLimit: 3,
          burstLimit: 100,
          quotaLimit: 100,
          quotaPeriod: 'MONTH',
          keyGeneration: 2,
        },
      ],
      maxImageBytes: 1_000_000,
      presignDefaultExpiresSeconds: 600,
      presignMaxExpiresSeconds: 604_800,
      maxDirectUploadBytes: 20_000_000,
      invalidateOnDelete: false,
      logRetentionDays: 90,
      objectExpirationDays: 7,
      geoAllowlist: ['US', 'DE'],
      customDomain: {
        domainName: 'images.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234',
      },
    });
  });

  it('reads the settings of uploads from a URL, as lists or as -c strings', () => {
    // Act
    const fromJson = readDeployConfig({
      clients,
      sourceAllowHttp: true,
      sourceAllowedPorts: [443, 8448],
      sourceHostAllowlist: ['Matrix.Example.org', '*.example.net'],
      sourceDenyCidrs: ['93.184.216.0/24'],
      sourceHeaderAllowlist: [],
    });
    const fromCli = readDeployConfig({
      clients,
      sourceAllowHttp: 'false',
      sourceAllowedPorts: '443,8448',
      sourceHeaderAllowlist: 'Authorization,X-Api-Key',
      sourceMaxRedirects: '0',
      sourceTimeoutMs: '3000',
      sourceMaxBytes: '1000000',
    });

    // Assess
    expect(fromJson.source).toMatchObject({
      allowHttp: true,
      allowedPorts: [443, 8448],
      hostAllowlist: ['matrix.example.org', '*.example.net'],
      denyCidrs: ['93.184.216.0/24'],
      headerAllowlist: [],
    });
    expect(fromCli.source).toEqual({
      allowHttp: false,
      allowedPorts: [443, 8448],
      denyCidrs: [],
      headerAllowlist: ['authorization', 'x-api-key'],
      maxRedirects: 0,
      timeoutMs: 3000,
      stallTimeoutMs: 3000,
      maxBytes: 1_000_000,
    });
  });

  it('lowers the default URL life to a smaller configured maximum', () => {
    // Act
    const config = readDeployConfig({ clients, presignMaxExpiresSeconds: '900' });

    // Assess
    expect(config).toMatchObject({ presignDefaultExpiresSeconds: 900, presignMaxExpiresSeconds: 900 });
  });

  it.each([
    ['no clients', {}, ['"clients"', 'at least one client', 'cdk.json']],
    ['clients that are not JSON', { clients: '{alice}' }, ['"clients"', 'JSON object', '"{alice}"']],
    ['an empty client map', { clients: {} }, ['"clients"', 'at least one client']],
    ['an upper-case client name', { clients: { Alice: {} } }, ['"clients"', '"Alice"', 'rename']],
    [
      'client names that collide in output ids',
      { clients: { 'a-b': {}, a_b: {} } },
      ['"clients"', 'a-b, a_b', 'rename one'],
    ],
    [
      'an unknown client field',
      { clients: { alice: { rate: 5 } } },
      ['"clients.alice"', '"rate"', 'remove or correct'],
    ],
    [
      'a previous key generation that is not older than the current one',
      { clients: { alice: { keyGeneration: 2, previousKeyGeneration: 2 } } },
      ['"clients.alice.previousKeyGeneration"', 'from 1 to 1', 'outgoing key'],
    ],
    [
      'a reserved concurrency for a function that does not exist',
      { clients, reservedConcurrency: { thumbnail: 5 } },
      ['"reservedConcurrency"', '"thumbnail"', 'reservedConcurrency=off'],
    ],
    [
      'memory for a function that does not render',
      { clients, functionMemory: { presign: 512 } },
      ['"functionMemory"', '"presign"', 'MB per function'],
    ],
    [
      'memory over Lambda’s 10,240 MB',
      { clients, functionMemory: { render: 20_000 } },
      ['"functionMemory.render"', 'from 128 to 10240', '20000'],
    ],
    [
      'an alarm e-mail that is not one',
      { clients, alarmEmail: 'ops at example' },
      ['"alarmEmail"', 'an e-mail address', '"ops at example"'],
    ],
    [
      'an alarm topic that is not an SNS ARN',
      { clients, alarmTopicArn: 'ops-alarms' },
      ['"alarmTopicArn"', 'SNS topic', '"ops-alarms"'],
    ],
    [
      'a stage throttle of zero',
      { clients, apiRateLimit: 0 },
      ['"apiRateLimit"', 'from 1 to 10000', 'every client together'],
    ],
    [
      'a rate limit of zero',
      { clients: { alice: { rateLimit: 0 } } },
      ['"clients.alice.rateLimit"', 'from 1 to 10000', 'got 0'],
    ],
    [
      'a fractional burst',
      { clients: { alice: { burstLimit: 2.5 } } },
      ['"clients.alice.burstLimit"', 'whole number', 'got 2.5'],
    ],
    [
      'an unknown quota period',
      { clients: { alice: { quotaLimit: 5, quotaPeriod: 'YEAR' } } },
      ['"clients.alice.quotaPeriod"', 'DAY, WEEK, MONTH', '"YEAR"'],
    ],
    [
      'an image limit above Lambda’s 6 MiB',
      { clients, maxImageBytes: 7_000_000 },
      ['"maxImageBytes"', 'from 1 to 6291456', 'got 7000000', 'presigned'],
    ],
    [
      'a non-numeric image limit',
      { clients, maxImageBytes: 'big' },
      ['"maxImageBytes"', '"big"', '-c maxImageBytes='],
    ],
    [
      'a presigned URL life beyond SigV4’s 7 days',
      { clients, presignMaxExpiresSeconds: 604_801 },
      ['"presignMaxExpiresSeconds"', 'from 1 to 604800', 'got 604801', '7 days'],
    ],
    [
      'a default URL life above the maximum',
      { clients, presignMaxExpiresSeconds: 600, presignDefaultExpiresSeconds: 3600 },
      [
        '"presignDefaultExpiresSeconds"',
        'from 1 to 600',
        'got 3600',
        'cannot exceed presignMaxExpiresSeconds (600)',
      ],
    ],
    [
      'a zero default URL life',
      { clients, presignDefaultExpiresSeconds: 0 },
      ['"presignDefaultExpiresSeconds"', 'got 0'],
    ],
    [
      'a direct upload cap over 1 GiB',
      { clients, maxDirectUploadBytes: 2 ** 31 },
      ['"maxDirectUploadBytes"', 'from 1 to 1073741824', 'got 2147483648', 'into memory'],
    ],
    [
      'a non-numeric direct upload cap',
      { clients, maxDirectUploadBytes: '100MB' },
      ['"maxDirectUploadBytes"', '"100MB"', '-c maxDirectUploadBytes='],
    ],
    [
      'an invalidation switch that is not a boolean',
      { clients, invalidateOnDelete: 'yes' },
      ['"invalidateOnDelete"', 'true or false', '"yes"', '-c invalidateOnDelete='],
    ],
    [
      'a retention CloudWatch does not offer',
      { clients, logRetentionDays: 31 },
      ['"logRetentionDays"', 'one of 1, 3, 5', 'got 31'],
    ],
    [
      'an unknown price class',
      { clients, priceClass: 'cheap' },
      ['"priceClass"', 'PriceClass_100, PriceClass_200, PriceClass_All', '"cheap"'],
    ],
    [
      'an unknown removal policy',
      { clients, removalPolicy: 'keep' },
      ['"removalPolicy"', 'retain, destroy', '"keep"'],
    ],
    [
      'a domain without a certificate',
      { clients, domainName: 'images.example.com' },
      ['"certificateArn"', 'us-east-1', 'got "nothing"'],
    ],
    [
      'a certificate outside us-east-1',
      {
        clients,
        domainName: 'images.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      },
      ['"certificateArn"', 'us-east-1', 'eu-west-1'],
    ],
    [
      'a certificate without a domain',
      { clients, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
      ['"domainName"', 'images.example.com', 'got "nothing"'],
    ],
    [
      'a zero-day expiry',
      { clients, objectExpirationDays: 0 },
      ['"objectExpirationDays"', 'from 1 to 36500', 'leave it unset'],
    ],
    [
      'a regional web ACL',
      { clients, webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y' },
      ['"webAclArn"', 'CLOUDFRONT', 'regional'],
    ],
    [
      'lower-case country codes',
      { clients, geoAllowlist: 'us,de' },
      ['"geoAllowlist"', 'alpha-2', '"us,de"'],
    ],
    [
      'a source port out of range',
      { clients, sourceAllowedPorts: '443,99999' },
      ['"sourceAllowedPorts"', '"99999" is not a port', '-c sourceAllowedPorts='],
    ],
    [
      'a source host allow list with a URL in it',
      { clients, sourceHostAllowlist: ['https://matrix.example.org'] },
      ['"sourceHostAllowlist"', 'is not a host name', '-c sourceHostAllowlist='],
    ],
    [
      'an empty source host allow list',
      { clients, sourceHostAllowlist: [] },
      ['"sourceHostAllowlist"', 'name at least one host'],
    ],
    [
      'a deny-list entry that is not a range',
      { clients, sourceDenyCidrs: '10.0.0.0/99' },
      ['"sourceDenyCidrs"', 'is not an address range'],
    ],
    [
      'a source header that frames the request',
      { clients, sourceHeaderAllowlist: ['authorization', 'host'] },
      ['"sourceHeaderAllowlist"', 'frames or routes the request'],
    ],
    [
      'a source timeout past what the upload function can spend',
      { clients, sourceTimeoutMs: 25_000 },
      ['"sourceTimeoutMs"', 'from 1000 to 15000', 'runs at most 20 s'],
    ],
    [
      'a stall timeout over the whole budget',
      { clients, sourceTimeoutMs: 2000, sourceStallTimeoutMs: 3000 },
      ['"sourceStallTimeoutMs"', 'from 100 to 2000', 'cannot exceed sourceTimeoutMs'],
    ],
    [
      'a source size over what the upload function can hold',
      { clients, sourceMaxBytes: 200 * 1024 * 1024 },
      ['"sourceMaxBytes"', 'from 1 to 104857600', '1 GiB'],
    ],
    [
      'a stack name CloudFormation refuses',
      { clients, stackName: '1proxy' },
      ['"stackName"', '"1proxy"', '-c stackName='],
    ],
  ])('refuses %s, naming the setting, the value and the fix', (_case, context, fragments) => {
    // Act
    const read = () => readDeployConfig(context);

    // Assess
    expect(read).toThrow(DeployConfigError);
    for (const fragment of fragments) expect(read).toThrow(fragment);
  });
});

describe('profiles in the deploy config', () => {
  it('reads the default profile and a per-client one', () => {
    // Act
    const config = readDeployConfig({
      clients: { bot: { fit: 'openai' }, web: {} },
      defaultFit: 'anthropic',
    });

    // Assess
    expect(config.defaultFit).toBe('anthropic');
    expect(config.clients.map((client) => [client.name, client.fit])).toEqual([
      ['bot', 'openai'],
      ['web', undefined],
    ]);
  });

  it.each([
    [{ clients: { bot: { fit: 'gpt-9' } } }, 'clients.bot.fit'],
    [{ clients: { bot: {} }, defaultFit: 'huge' }, 'defaultFit'],
  ])('refuses a profile that does not exist, naming the setting (%j)', (context, setting) => {
    // Act
    const act = () => readDeployConfig(context);

    // Assess
    expect(act).toThrow(setting);
  });
});
