import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFilesystemRoot, PathGuard } from '../../../clients/typescript/src/mcp/path-guard.ts';
import { makeTempDir } from '../../support/temp-dir';

const dir = makeTempDir('mcp-path-guard');
const allowed = join(dir.path, 'photos');
const sibling = join(dir.path, 'photos-private');
let guard: PathGuard;

beforeAll(() => {
  mkdirSync(join(allowed, 'trip'), { recursive: true });
  mkdirSync(sibling);
  writeFileSync(join(allowed, 'trip', 'a.jpg'), 'a');
  writeFileSync(join(sibling, 'key.pem'), 'secret');
  symlinkSync(join(allowed, 'trip', 'a.jpg'), join(allowed, 'inside-link.jpg'));
  symlinkSync(sibling, join(allowed, 'outside-dir'));
  // Reached through a link to the allowed directory itself: still the same real files.
  symlinkSync(allowed, join(dir.path, 'photos-link'));
  guard = new PathGuard([join(dir.path, 'photos-link')]);
});

afterAll(() => dir.remove());

describe('PathGuard, the directories s3ip mcp may read', () => {
  it.each([
    ['a relative path', 'trip/a.jpg'],
    ['an absolute path', () => join(allowed, 'trip', 'a.jpg')],
    ['a symlink that stays inside', 'inside-link.jpg'],
    ['a path through ../ that comes back in', 'trip/../trip/a.jpg'],
  ])('reads %s, as its real path', async (_case, path) => {
    // Act
    const real = await guard.resolveFile(typeof path === 'function' ? path() : path);

    // Assess
    expect(real).toBe(join(guard.dirs[0]!, 'trip', 'a.jpg'));
  });

  it.each([
    ['a sibling directory sharing the prefix', () => join(sibling, 'key.pem')],
    ['a relative climb out', () => '../photos-private/key.pem'],
    ['a file through a symlinked directory pointing out', () => 'outside-dir/key.pem'],
  ])('refuses %s with PATH_NOT_ALLOWED', async (_case, path) => {
    // Act
    const resolving = guard.resolveFile(path());

    // Assess
    await expect(resolving).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
  });

  it('says NO_SUCH_FILE and NOT_A_FILE without reading anything', async () => {
    // Assess
    await expect(guard.resolveFile('missing.jpg')).rejects.toMatchObject({ code: 'NO_SUCH_FILE' });
    await expect(guard.resolveFile('trip')).rejects.toMatchObject({ code: 'NOT_A_FILE' });
  });

  it('with no directory allowed, refuses every path and says how to allow one', async () => {
    // Act
    const resolving = new PathGuard([]).resolveFile(join(allowed, 'trip', 'a.jpg'));

    // Assess
    await expect(resolving).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
      message: expect.stringContaining('--allow-dir'),
    });
  });

  it('never takes the filesystem root as the default directory', () => {
    // Assess
    expect([isFilesystemRoot('/'), isFilesystemRoot(allowed), isFilesystemRoot('/tmp/..')]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
