import './support/isolated-home';
import { describe, expect, it } from 'vitest';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';

describe('synthesis shared by the infra tests', () => {
  it('synthesizes an equal configuration once and hands every caller the same stack and template', () => {
    // Act
    const first = synthesize(TWO_CLIENTS_CONTEXT);
    const again = synthesize(JSON.parse(JSON.stringify(TWO_CLIENTS_CONTEXT)));

    // Assess
    expect(again.stack).toBe(first.stack);
    expect(again.template).toBe(first.template);
  });
});
