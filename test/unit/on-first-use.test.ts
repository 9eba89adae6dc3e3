import { describe, expect, it } from 'vitest';
import { onFirstUse, resolveDeferred } from '../../lambdas/adapters/on-first-use';

describe('onFirstUse', () => {
  it('makes nothing until first used, then holds what it made', async () => {
    // Prepare
    let made = 0;
    const client = onFirstUse(async () => ({ serial: ++made }));

    // Act
    const before = made;
    const [first, second] = await Promise.all([client(), client()]);
    const third = await client();

    // Assess
    expect(before).toBe(0);
    expect(made).toBe(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('forgets a failed attempt, so the next use tries again', async () => {
    // Prepare
    let attempts = 0;
    const client = onFirstUse(async () => {
      attempts++;
      if (attempts === 1) throw new Error('throttled');
      return { attempts };
    });

    // Act
    const failed = client();

    // Assess
    await expect(failed).rejects.toThrow('throttled');
    await expect(client()).resolves.toEqual({ attempts: 2 });
  });
});

describe('resolveDeferred', () => {
  it.each([
    ['a client given as is', (client: object) => client],
    ['a loader', (client: object) => async () => client],
  ])('gives the client of %s', async (_, given) => {
    // Prepare
    const client = { send: () => undefined };

    // Act
    const resolved = await resolveDeferred(given(client));

    // Assess
    expect(resolved).toBe(client);
  });
});
