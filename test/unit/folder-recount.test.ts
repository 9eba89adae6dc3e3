import { describe, expect, it } from 'vitest';
import {
  type FolderCounts,
  folderCounterCorrection,
  type StoredFolderCounters,
  storedFolderCountersOf,
} from '../../lambdas/adapters/catalogue-counter-correction';
import { correctedCounters } from '../../lambdas/catalogue/recount-folders';

const counts = (images: number, more: Partial<FolderCounts> = {}): FolderCounts => ({
  images,
  servedBytes: images * 100,
  originalBytes: 0,
  contentTypes: images > 0 ? { 'image/jpeg': images } : {},
  sources: images > 0 ? { upload: images } : {},
  ...more,
});
const T1 = '2026-12-07T08:00:00.000Z';
const T2 = '2026-12-07T09:00:00.000Z';

describe('correctedCounters', () => {
  it.each<[string, StoredFolderCounters | undefined, FolderCounts, FolderCounts | undefined]>([
    [
      'agrees: nothing to write',
      counts(2, { newestCreatedAt: T1 }),
      counts(2, { newestCreatedAt: T1 }),
      undefined,
    ],
    [
      'a stored count of 0 is the same as none',
      { ...counts(1, { newestCreatedAt: T1 }), contentTypes: { 'image/jpeg': 1, 'image/png': 0 } },
      counts(1, { newestCreatedAt: T1 }),
      undefined,
    ],
    ['neither records nor counters: nothing to write', undefined, counts(0), undefined],
    [
      'no counter item for recorded images: all of them',
      undefined,
      counts(1, { newestCreatedAt: T1 }),
      counts(1, { newestCreatedAt: T1 }),
    ],
    [
      'short by an image: the recount',
      counts(1, { newestCreatedAt: T1 }),
      counts(2, { newestCreatedAt: T2 }),
      counts(2, { newestCreatedAt: T2 }),
    ],
    [
      'counters of a folder with no records go to zero, keeping the newest creation',
      counts(1, { newestCreatedAt: T2 }),
      counts(0),
      counts(0, { newestCreatedAt: T2 }),
    ],
    [
      'the newest creation is never lowered (a deleted image was newer)',
      counts(3, { newestCreatedAt: T2 }),
      counts(2, { newestCreatedAt: T1 }),
      counts(2, { newestCreatedAt: T2 }),
    ],
    [
      'the same totals counted under another type',
      counts(1, { newestCreatedAt: T1 }),
      counts(1, { newestCreatedAt: T1, contentTypes: { 'image/webp': 1 } }),
      counts(1, { newestCreatedAt: T1, contentTypes: { 'image/webp': 1 } }),
    ],
  ])('%s', (_, stored, recounted, expected) => {
    expect(correctedCounters(stored, recounted)).toEqual(expected);
  });
});

describe('folderCounterCorrection', () => {
  it('writes only while the item is at the version read, and removes counts of types no record has', () => {
    // Prepare
    const stored = storedFolderCountersOf({
      pk: { S: 'F#alice#trips' },
      images: { N: '2' },
      servedBytes: { N: '200' },
      'type:image/png': { N: '2' },
      'source:upload': { N: '2' },
      version: { N: '7' },
      updatedAt: { S: T1 },
    });

    // Act
    const input = folderCounterCorrection('table', 'alice', 'trips', stored, counts(1)).input;

    // Assess
    expect(input.ConditionExpression).toBe('version = :read');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':read': { N: '7' }, ':next': { N: '8' } });
    expect(input.UpdateExpression).toMatch(/ REMOVE #r0$/);
    expect(input.ExpressionAttributeNames).toMatchObject({
      '#r0': 'type:image/png',
      '#n0': 'type:image/jpeg',
    });
  });

  it.each([
    ['an item no versioned write touched', { pk: { S: 'F#alice#trips' } }, 'attribute_not_exists(version)'],
    ['no item at all', undefined, 'attribute_not_exists(pk)'],
  ])('for %s, writes only while that is still so', (_, item, condition) => {
    // Act
    const input = folderCounterCorrection(
      'table',
      'alice',
      'trips',
      storedFolderCountersOf(item),
      counts(1),
    ).input;

    // Assess
    expect(input.ConditionExpression).toBe(condition);
  });
});
