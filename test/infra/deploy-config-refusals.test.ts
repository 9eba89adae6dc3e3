import { describe, expect, it } from 'vitest';
import { DeployConfigError, readDeployConfig } from '../../infra/config';
import { clients } from './support/deploy-config-clients';

describe('readDeployConfig', () => {
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
