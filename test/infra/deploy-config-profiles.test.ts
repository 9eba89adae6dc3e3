import { describe, expect, it } from 'vitest';
import { readDeployConfig } from '../../infra/config';

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
