import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from './support/synth';

const CLIENT_RESOURCE_TYPES = [
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
];

/** The per-client resources of a template, by logical id. */
function clientResources(template: Template): Record<string, unknown> {
  return Object.fromEntries(
    CLIENT_RESOURCE_TYPES.flatMap((type) => Object.entries(template.findResources(type))),
  );
}

const alice = { rateLimit: 5, burstLimit: 10 };
const bob = { rateLimit: 20, burstLimit: 40, quotaLimit: 500 };

describe('per-client API keys and usage plans', () => {
  let two: Record<string, unknown>;
  let three: Record<string, unknown>;
  let bobChanged: Record<string, unknown>;
  let bobRotated: Record<string, unknown>;

  beforeAll(() => {
    // Prepare (no bundling: the client resources do not depend on the code)
    two = clientResources(synthesize({ clients: { alice, bob } }).template);
    three = clientResources(synthesize({ clients: { alice, bob, carol: {} } }).template);
    bobChanged = clientResources(synthesize({ clients: { alice, bob: { ...bob, rateLimit: 50 } } }).template);
    bobRotated = clientResources(
      synthesize({ clients: { alice, bob: { ...bob, keyGeneration: 2 } } }).template,
    );
  });

  it('gives each client one key, one plan and one link between them', () => {
    // Assess
    expect(Object.keys(two)).toHaveLength(6);
    expect(Object.keys(three)).toHaveLength(9);
  });

  it('adding a client adds exactly its key, plan and link and leaves the others untouched', () => {
    // Act
    const added = Object.keys(three).filter((id) => !(id in two));
    const kept = Object.fromEntries(Object.entries(three).filter(([id]) => id in two));

    // Assess
    expect(kept).toEqual(two);
    expect(added).toHaveLength(3);
    for (const id of added) expect(id).toMatch(/^Clientscarol/);
  });

  it('removing a client removes exactly its key, plan and link', () => {
    // Act
    const removed = Object.keys(three).filter((id) => !(id in two));
    const remaining = Object.fromEntries(Object.entries(three).filter(([id]) => !removed.includes(id)));

    // Assess
    expect(removed.sort()).toEqual(
      Object.keys(three)
        .filter((id) => id.startsWith('Clientscarol'))
        .sort(),
    );
    expect(remaining).toEqual(two);
  });

  it("changing one client's throttle changes only that client's plan", () => {
    // Act
    const changed = Object.keys(two).filter(
      (id) => JSON.stringify(two[id]) !== JSON.stringify(bobChanged[id]),
    );

    // Assess
    expect(Object.keys(bobChanged).sort()).toEqual(Object.keys(two).sort());
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^ClientsbobPlan/);
    expect(bobChanged[changed[0]!]).toMatchObject({
      Properties: { Throttle: { RateLimit: 50, BurstLimit: 40 } },
    });
  });

  it("bumping a client's key generation renames (so replaces) only that client's key", () => {
    // Act
    const changed = Object.keys(two).filter(
      (id) => JSON.stringify(two[id]) !== JSON.stringify(bobRotated[id]),
    );

    // Assess
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^ClientsbobKey/);
    expect(two[changed[0]!]).toMatchObject({ Properties: { Name: 'S3ImageProxy-bob-g1' } });
    expect(bobRotated[changed[0]!]).toMatchObject({ Properties: { Name: 'S3ImageProxy-bob-g2' } });
  });
});
