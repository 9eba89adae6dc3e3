import { describe, expect, it } from 'vitest';
import type { BadRequestError } from '../../lambdas/core/errors';
import { foldersUpTo, parseFolder, parseMetadata, parseTags } from '../../lambdas/core/image-labels';
import { HOSTILE_FOLDERS, HOSTILE_METADATA, HOSTILE_TAGS } from '../support/hostile-labels';

describe('folders, tags and metadata', () => {
  it.each([
    ['users/alice@example.com', 'users/alice@example.com'],
    ['a', 'a'],
    ['1/custom_avatar/9f-2.b+c', '1/custom_avatar/9f-2.b+c'],
    ['a/b/c/d/e/f/g/h', 'a/b/c/d/e/f/g/h'],
  ])('accepts the folder %j', (given, expected) => {
    // Act / Assess
    expect(parseFolder(given)).toBe(expected);
  });

  it('files an upload that names no folder at the root', () => {
    // Act / Assess
    expect(parseFolder(undefined)).toBe('');
  });

  it.each(HOSTILE_FOLDERS)('refuses the folder %j with 400 INVALID_FOLDER', (folder) => {
    // Act / Assess
    expect(() => parseFolder(folder)).toThrow(
      expect.objectContaining({ statusCode: 400, code: 'INVALID_FOLDER' }) as unknown as BadRequestError,
    );
  });

  it.each(HOSTILE_TAGS)('refuses the tags %j with 400 INVALID_TAGS', (tags) => {
    // Act / Assess
    expect(() => parseTags(tags)).toThrow(expect.objectContaining({ code: 'INVALID_TAGS' }));
  });

  it.each(HOSTILE_METADATA)('refuses the metadata %j with 400 INVALID_METADATA', (metadata) => {
    // Act / Assess
    expect(() => parseMetadata(metadata)).toThrow(expect.objectContaining({ code: 'INVALID_METADATA' }));
  });

  it('deduplicates tags and reads one `?tag=` as a list of one', () => {
    // Act / Assess
    expect(parseTags(['a', 'b', 'a'])).toEqual(['a', 'b']);
    expect(parseTags('x:y')).toEqual(['x:y']);
  });

  it('counts an image in the root, each ancestor and its own folder', () => {
    // Act / Assess
    expect(foldersUpTo('users/a@b.c/uploads')).toEqual(['', 'users', 'users/a@b.c', 'users/a@b.c/uploads']);
    expect(foldersUpTo('')).toEqual(['']);
  });
});
