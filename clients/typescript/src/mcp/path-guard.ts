import { realpathSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, parse, resolve, sep } from 'node:path';

/** A path the guard will not read, with the reason in `code` (`PATH_NOT_ALLOWED`, `NO_SUCH_FILE`, `NOT_A_FILE`). */
export class PathRefusedError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'PathRefusedError';
  }
}

/**
 * The directories an agent may upload files from. Every path is resolved to its real path
 * (every symlink followed, `..` gone) and must then lie inside one of the allowed directories'
 * real paths: a symlink inside pointing outside is refused, and what is read is the resolved file,
 * not the link. An agent must not be able to publish a private key's neighbours by accident.
 */
export class PathGuard {
  /** The allowed directories' real paths. */
  readonly dirs: readonly string[];

  /** Throws when a directory does not exist; `dirs` may be empty (no path is allowed). */
  constructor(dirs: readonly string[]) {
    this.dirs = dirs.map((dir) => realpathSync(dir));
  }

  /** The real path of a regular file inside an allowed directory; relative paths start at the first one. */
  async resolveFile(path: string): Promise<string> {
    if (this.dirs.length === 0)
      throw new PathRefusedError(
        'PATH_NOT_ALLOWED',
        'this server reads no local files: start it with --allow-dir <directory> to upload files from there',
      );
    const absolute = isAbsolute(path) ? path : resolve(this.dirs[0]!, path);
    let real: string;
    try {
      real = await realpath(absolute);
    } catch {
      throw new PathRefusedError('NO_SUCH_FILE', `no such file: ${path}`);
    }
    if (!this.dirs.some((dir) => isInside(real, dir)))
      throw new PathRefusedError(
        'PATH_NOT_ALLOWED',
        `${path} is outside the directories this server may read (${this.dirs.join(', ')}); ` +
          'the user can allow another with --allow-dir',
      );
    if (!(await stat(real)).isFile()) throw new PathRefusedError('NOT_A_FILE', `${path} is not a file`);
    return real;
  }
}

function isInside(path: string, dir: string): boolean {
  if (path === dir) return true;
  return path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

/** True for a filesystem root (`/`, `C:\`): never allowed by default (desktop hosts start servers there). */
export const isFilesystemRoot = (dir: string): boolean => parse(resolve(dir)).root === resolve(dir);
