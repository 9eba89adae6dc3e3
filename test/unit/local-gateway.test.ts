import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../infra/local/request-body';
import { decodeCdnKey, refusedRequestTarget } from '../../infra/local/request-path';
import { ClientThrottle } from '../../infra/local/token-bucket';

describe('refusedRequestTarget', () => {
  it.each([
    '/uploads',
    '/',
    '/uploads?filename=a%2F..%2Fb',
    '/cdn/alice/abc.png',
    '/objects/alice%2Fx.png',
    '/a..b/c.',
  ])('lets %s through', (target) => {
    expect(refusedRequestTarget(target)).toBeUndefined();
  });

  it.each([
    '',
    '*',
    'http://evil.test/uploads',
    '//uploads',
    '/../x',
    '/a/./b',
    '/a/%2e%2E/b',
    '/%2e/x',
    '/a%00',
    '/a%5cb',
    '/a\\b',
  ])('refuses %j', (target) => {
    expect(refusedRequestTarget(target)).toEqual(expect.any(String));
  });
});

describe('decodeCdnKey', () => {
  it.each([
    ['alice/abc.png', 'alice/abc.png'],
    ['alice/a%20b.png', 'alice/a b.png'],
    ['', ''],
  ])('decodes %j to %j', (path, key) => {
    expect(decodeCdnKey(path)).toBe(key);
  });

  it.each([
    'alice//x.png',
    'alice/..%2f..%2fx',
    '..%2Fetc',
    'alice/%2e%2e',
    'alice/x%0a.png',
    'alice/%E0%A4%A',
    'alice/a%5Cb',
    'alice/',
  ])('refuses %j', (path) => {
    expect(decodeCdnKey(path)).toBeUndefined();
  });
});

describe('ClientThrottle', () => {
  it('allows a burst, then refuses with Retry-After until tokens refill at the rate', () => {
    // Prepare
    let now = 0;
    const throttle = new ClientThrottle({ ratePerSecond: 2, burst: 3 }, () => now);

    // Act
    const burst = [1, 2, 3, 4].map(() => throttle.take('alice'));
    now = 499;
    const early = throttle.take('alice');
    now = 1_000;
    const refilled = throttle.take('alice');

    // Assess
    expect(burst.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(burst[3]).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(early.allowed).toBe(false);
    expect(refilled.allowed).toBe(true);
  });

  it('keeps one bucket per client', () => {
    const throttle = new ClientThrottle({ ratePerSecond: 1, burst: 1 }, () => 0);
    expect([
      throttle.take('alice').allowed,
      throttle.take('alice').allowed,
      throttle.take('bob').allowed,
    ]).toEqual([true, false, true]);
  });

  it('never refills past the burst, and says how long a slow rate needs', () => {
    // Prepare
    let now = 0;
    const throttle = new ClientThrottle({ ratePerSecond: 1, burst: 2 }, () => now);
    now = 3_600_000;

    // Act
    const decisions = [1, 2, 3].map(() => throttle.take('alice'));

    // Assess
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(decisions[2]).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe('MemoryBudget', () => {
  it('reserves up to its cap, refuses past it, and frees what is released', () => {
    const budget = new MemoryBudget(100);
    expect([budget.tryReserve(60), budget.tryReserve(41), budget.tryReserve(40)]).toEqual([
      true,
      false,
      true,
    ]);
    expect(budget.heldBytes).toBe(100);
    budget.release(60);
    expect([budget.heldBytes, budget.tryReserve(60)]).toEqual([40, true]);
  });
});
