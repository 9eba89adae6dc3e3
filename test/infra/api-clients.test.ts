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

  it("bumping a client's key generation alone replaces only that client's key (and its plan link)", () => {
    // Act
    const removed = Object.keys(two).filter((id) => !(id in bobRotated));
    const added = Object.keys(bobRotated).filter((id) => !(id in two));
    const changed = Object.keys(two).filter(
      (id) => id in bobRotated && JSON.stringify(two[id]) !== JSON.stringify(bobRotated[id]),
    );

    // Assess
    expect(changed).toEqual([]);
    expect(removed.map((id) => two[id])).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Properties: expect.objectContaining({ Name: 'S3ImageProxy-bob-g1' }) }),
      ]),
    );
    expect(added.map((id) => bobRotated[id])).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Properties: expect.objectContaining({ Name: 'S3ImageProxy-bob-g2' }) }),
      ]),
    );
    for (const id of [...removed, ...added]) expect(id).toMatch(/^Clientsbob(Key|Plan)/);
  });

  it('a rotation with overlap adds the new key next to the old one, then removes the old one, never replacing a key', () => {
    // Prepare: add-new (g1 and g2), then remove-old (g2 only)
    const overlap = clientResources(
      synthesize({ clients: { alice, bob: { ...bob, keyGeneration: 2, previousKeyGeneration: 1 } } })
        .template,
    );
    const after = bobRotated;

    // Act
    const keptDuringOverlap = Object.keys(two).filter((id) => !(id in overlap));
    const changedDuringOverlap = Object.keys(two).filter(
      (id) => id in overlap && JSON.stringify(two[id]) !== JSON.stringify(overlap[id]),
    );
    const newKeys = Object.entries(overlap).filter(
      ([id, resource]) => !(id in two) && (resource as { Type: string }).Type === 'AWS::ApiGateway::ApiKey',
    );
    const changedAfter = Object.keys(after).filter(
      (id) => id in overlap && JSON.stringify(after[id]) !== JSON.stringify(overlap[id]),
    );
    const removedAfter = Object.keys(overlap).filter((id) => !(id in after));

    // Assess: the old key stays the same resource while both are listed, and the new key survives
    expect(keptDuringOverlap).toEqual([]);
    expect(changedDuringOverlap).toEqual([]);
    expect(newKeys).toHaveLength(1);
    expect(newKeys[0]![1]).toMatchObject({ Properties: { Name: 'S3ImageProxy-bob-g2' } });
    expect(newKeys[0]![0] in after).toBe(true);
    expect(changedAfter).toEqual([]);
    expect(removedAfter.map((id) => overlap[id])).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Properties: expect.objectContaining({ Name: 'S3ImageProxy-bob-g1' }) }),
      ]),
    );
    expect(removedAfter).toHaveLength(2); // the old key and its plan link
  });

  it('maps both keys of a client in rotation to that client for the functions', () => {
    // Act
    const { template } = synthesize({
      clients: { alice, bob: { ...bob, keyGeneration: 2, previousKeyGeneration: 1 } },
    });
    const ids = Object.fromEntries(
      Object.entries(template.findResources('AWS::ApiGateway::ApiKey')).map(([id, key]) => [
        (key as { Properties: { Name: string } }).Properties.Name,
        id,
      ]),
    );
    const variables = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) =>
        (fn as { Properties: { Environment?: { Variables: Record<string, unknown> } } }).Properties
          .Environment?.Variables,
    );

    // Assess
    const clientKeyIds = variables.find((vars) => vars?.CLIENT_KEY_IDS)?.CLIENT_KEY_IDS;
    expect(JSON.stringify(clientKeyIds)).toContain(
      JSON.stringify(['bob', { Ref: ids['S3ImageProxy-bob-g2'] }]),
    );
    expect(JSON.stringify(clientKeyIds)).toContain(
      JSON.stringify(['bob', { Ref: ids['S3ImageProxy-bob-g1'] }]),
    );
    template.hasOutput('PreviousApiKeyIdBob', { Value: { Ref: ids['S3ImageProxy-bob-g1'] } });
    template.hasOutput('ApiKeyIdBob', { Value: { Ref: ids['S3ImageProxy-bob-g2'] } });
  });
});
