import { describe, expect, it } from 'vitest';
import { BadRequestError, SourceForbiddenError } from '../../lambdas/core/errors';
import {
  canonicalAddress,
  classifyAddress,
  isInRanges,
  parseAddressRange,
} from '../../lambdas/core/source-address';
import {
  checkSourceAddresses,
  checkSourceUrl,
  parseHeaderAllowlist,
  parseHostAllowlist,
  parseLoopbackExceptions,
  parsePortList,
  parseSourceHeaders,
  parseSourceUrl,
  type SourcePolicy,
} from '../../lambdas/core/source-policy';

const POLICY: SourcePolicy = {
  allowHttp: false,
  allowedPorts: new Set([443, 80]),
  hostAllowlist: undefined,
  denyRanges: [],
  headerAllowlist: new Set(['authorization']),
  loopbackExceptions: [],
};
const policy = (overrides: Partial<SourcePolicy>): SourcePolicy => ({ ...POLICY, ...overrides });

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal'],
    ['64:ff9b:1::a00:1', 'rfc6052'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:0:4136:e378::1', 'teredo'],
    ['2001:db8::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['4000::1', 'reserved'],
    ['not an address', 'unparseable'],
    ['0177.0.0.1', 'unparseable'],
    ['2130706433', 'unparseable'],
  ])('refuses %s as %s', (address, expected) => {
    // Act
    const addressClass = classifyAddress(address);

    // Assess
    expect(addressClass).toBe(expected);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '::ffff:93.184.216.34',
    '64:ff9b::5db8:d822',
  ])('lets the public address %s through', (address) => {
    // Assess
    expect(classifyAddress(address)).toBe('public');
  });
});

describe('address ranges', () => {
  it('matches an address in a configured range, IPv6 forms of an IPv4 one included', () => {
    // Prepare
    const ranges = ['93.184.216.0/24', '2606:4700::/32', '8.8.8.8'].map(parseAddressRange);

    // Assess
    expect(isInRanges('93.184.216.34', ranges)).toBe(true);
    expect(isInRanges('::ffff:93.184.216.34', ranges)).toBe(true);
    expect(isInRanges('2606:4700:4700::1111', ranges)).toBe(true);
    expect(isInRanges('8.8.8.8', ranges)).toBe(true);
    expect(isInRanges('8.8.4.4', ranges)).toBe(false);
    expect(isInRanges('93.184.217.1', ranges)).toBe(false);
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0/8',
    '0x0a.0.0.0/8',
    'fd00::/129',
    '10.0.0.0/8/1',
    'example.com',
    '10.0.0.0/-1',
  ])('refuses the range %s', (text) => {
    // Assess
    expect(() => parseAddressRange(text)).toThrow('is not an address range');
  });

  it('writes one address one way whatever its spelling', () => {
    // Assess
    expect(canonicalAddress('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(canonicalAddress('[0:0:0:0:0:0:0:1]')).toBe('::1');
    expect(canonicalAddress('nope')).toBeUndefined();
  });
});

describe('parseSourceUrl', () => {
  it.each([
    ['https://2130706433/', '127.0.0.1'],
    ['https://0177.0.0.1/', '127.0.0.1'],
    ['https://0x7f.0.0.1/', '127.0.0.1'],
    ['https://127.1/', '127.0.0.1'],
    ['https://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
    ['https://MEDIA.Example.ORG/x', 'media.example.org'],
  ])('canonicalizes the host of %s to %s', (raw, host) => {
    // Assess
    expect(parseSourceUrl(raw).hostname).toBe(host);
  });

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['a relative URL', '/media/x.png'],
    ['credentials in the URL', 'https://bot:secret@media.example.org/x.png'],
    ['an over-long URL', `https://media.example.org/${'a'.repeat(9000)}`],
  ])('refuses %s with 400 INVALID_SOURCE_URL', (_, value) => {
    // Assess
    expect(() => parseSourceUrl(value)).toThrow(
      expect.objectContaining({ statusCode: 400, code: 'INVALID_SOURCE_URL' }),
    );
  });

  it('drops the fragment, which is never sent', () => {
    // Assess
    expect(parseSourceUrl('https://media.example.org/a.png#part').href).toBe(
      'https://media.example.org/a.png',
    );
  });
});

describe('parseSourceHeaders', () => {
  const allow = new Set(['authorization']);

  it('keeps allowed headers under lower-case names', () => {
    // Assess
    expect(parseSourceHeaders({ Authorization: 'Bearer syt_abc' }, allow)).toEqual({
      authorization: 'Bearer syt_abc',
    });
    expect(parseSourceHeaders(undefined, allow)).toEqual({});
  });

  it.each([
    ['a header not on the allow list', { Cookie: 'session=x' }],
    ['a Host header', { Host: 'internal' }],
    ['a value with a line break', { Authorization: 'Bearer x\r\nX-Injected: 1' }],
    ['a value that is not a string', { Authorization: 42 }],
    ['the same header twice', { Authorization: 'a', authorization: 'b' }],
    ['an array', ['Authorization', 'x']],
    ['too many headers', Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`x-${i}`, 'v']))],
  ])('refuses %s with 400', (_, value) => {
    // Assess
    expect(() => parseSourceHeaders(value, allow)).toThrow(BadRequestError);
  });

  it('never repeats a header value in its message', () => {
    // Act
    const thrown = (() => {
      try {
        parseSourceHeaders({ Authorization: 'Bearer very-secret-token\n' }, allow);
      } catch (err) {
        return err as Error;
      }
    })();

    // Assess
    expect(thrown?.message).toBeDefined();
    expect(thrown?.message).not.toContain('very-secret-token');
  });
});

describe('checkSourceUrl', () => {
  it.each([
    ['plain http', 'http://media.example.org/a.png', POLICY, 'scheme'],
    ['a file URL', 'file:///etc/passwd', POLICY, 'scheme'],
    ['an ftp URL', 'ftp://media.example.org/a.png', policy({ allowHttp: true }), 'scheme'],
    ['a port not allowed', 'https://media.example.org:8448/a.png', POLICY, 'port'],
    [
      'a host off the allow list',
      'https://evil.example.net/a.png',
      policy({ hostAllowlist: parseHostAllowlist(['media.example.org']) }),
      'host',
    ],
    [
      'the apex of a subdomain pattern',
      'https://example.org/a.png',
      policy({ hostAllowlist: parseHostAllowlist(['*.example.org']) }),
      'host',
    ],
    ['127.0.0.1', 'https://127.0.0.1/', POLICY, 'loopback'],
    ['[::1]', 'https://[::1]/', POLICY, 'loopback'],
    ['0.0.0.0', 'https://0.0.0.0/', POLICY, 'unspecified'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data/', POLICY, 'linkLocal'],
    ['the IPv6 metadata address', 'https://[fd00:ec2::254]/', POLICY, 'uniqueLocal'],
    ['[fd00::1]', 'https://[fd00::1]/', POLICY, 'uniqueLocal'],
    ['[::ffff:127.0.0.1]', 'https://[::ffff:127.0.0.1]/', POLICY, 'loopback'],
    ['decimal 127.0.0.1', 'https://2130706433/', POLICY, 'loopback'],
    ['octal 127.0.0.1', 'https://0177.0.0.1/', POLICY, 'loopback'],
    ['hex 127.0.0.1', 'https://0x7f.0.0.1/', POLICY, 'loopback'],
    ['decimal 169.254.169.254', 'https://2852039166/', POLICY, 'linkLocal'],
    [
      'a deny-listed address',
      'https://93.184.216.34/',
      policy({ denyRanges: [parseAddressRange('93.184.216.0/24')] }),
      'deny-list',
    ],
  ])('refuses %s with SOURCE_FORBIDDEN', (_, raw, rules, reason) => {
    // Assess
    expect(() => checkSourceUrl(parseSourceUrl(raw), rules)).toThrow(
      expect.objectContaining({ statusCode: 400, code: 'SOURCE_FORBIDDEN', reason }),
    );
  });

  it('accepts https on an allowed port, http where allowed, and allow-listed hosts', () => {
    // Assess
    expect(checkSourceUrl(parseSourceUrl('https://media.example.org/a.png'), POLICY)).toMatchObject({
      host: 'media.example.org',
      port: 443,
      literalAddress: undefined,
    });
    expect(
      checkSourceUrl(parseSourceUrl('http://media.example.org/a'), policy({ allowHttp: true })).port,
    ).toBe(80);
    const listed = policy({ hostAllowlist: parseHostAllowlist(['*.example.org', 'cdn.example.net']) });
    expect(checkSourceUrl(parseSourceUrl('https://a.b.example.org./x'), listed).host).toBe('a.b.example.org');
    expect(checkSourceUrl(parseSourceUrl('https://CDN.example.net/x'), listed).host).toBe('cdn.example.net');
    expect(checkSourceUrl(parseSourceUrl('https://93.184.216.34/x'), POLICY).literalAddress).toBe(
      '93.184.216.34',
    );
  });

  it('lets a loopback exception through on its own port only', () => {
    // Prepare
    const rules = policy({ allowHttp: true, loopbackExceptions: [{ address: '127.0.0.1', port: 8081 }] });

    // Assess
    expect(checkSourceUrl(parseSourceUrl('http://127.0.0.1:8081/a.png'), rules).port).toBe(8081);
    expect(() => checkSourceUrl(parseSourceUrl('http://127.0.0.1/a.png'), rules)).toThrow(
      SourceForbiddenError,
    );
    expect(() => checkSourceUrl(parseSourceUrl('http://127.0.0.2:8081/a.png'), rules)).toThrow(
      SourceForbiddenError,
    );
    expect(() => checkSourceAddresses(['93.184.216.34'], 8081, rules)).toThrow(
      expect.objectContaining({ reason: 'port' }),
    );
  });
});

describe('checkSourceAddresses', () => {
  it('refuses a host when any of its addresses is refused, without naming it', () => {
    // Act
    const check = () => checkSourceAddresses(['93.184.216.34', '10.1.2.3'], 443, POLICY);

    // Assess
    expect(check).toThrow(expect.objectContaining({ code: 'SOURCE_FORBIDDEN', reason: 'private' }));
    expect(check).not.toThrow(/10\.1\.2\.3/);
    expect(() => checkSourceAddresses([], 443, POLICY)).toThrow(SourceForbiddenError);
    expect(() => checkSourceAddresses(['93.184.216.34', '2606:4700:4700::1111'], 443, POLICY)).not.toThrow();
  });
});

describe('settings parsers', () => {
  it('reads host, header, port and loopback lists', () => {
    // Assess
    expect(parseHostAllowlist(['Matrix.Example.org', '*.example.net'])).toEqual([
      { host: 'matrix.example.org', subdomains: false },
      { host: 'example.net', subdomains: true },
    ]);
    expect(parseHeaderAllowlist(['Authorization', 'X-Api-Key'])).toEqual(['authorization', 'x-api-key']);
    expect(parsePortList(['443', '8448'])).toEqual([443, 8448]);
    expect(parseLoopbackExceptions(['127.0.0.1:8080', '[::1]:9000'])).toEqual([
      { address: '127.0.0.1', port: 8080 },
      { address: '::1', port: 9000 },
    ]);
  });

  it.each([
    ['a host with a path', () => parseHostAllowlist(['example.org/x'])],
    ['a header that frames the request', () => parseHeaderAllowlist(['Host'])],
    ['a proxy header', () => parseHeaderAllowlist(['Proxy-Authorization'])],
    ['a header name with a space', () => parseHeaderAllowlist(['x y'])],
    ['port 0', () => parsePortList(['0'])],
    ['port 70000', () => parsePortList(['70000'])],
    ['a loopback exception outside loopback', () => parseLoopbackExceptions(['10.0.0.1:80'])],
    ['the metadata address as an exception', () => parseLoopbackExceptions(['169.254.169.254:80'])],
    ['a loopback exception without a port', () => parseLoopbackExceptions(['127.0.0.1'])],
  ])('refuses %s', (_, parse) => {
    // Assess
    expect(parse).toThrow();
  });
});
