import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';

/** A file the CLI will upload: as the user named it, and where it is. */
export interface InputFile {
  /** The path as given or as the pattern matched it, relative to the working directory. */
  readonly name: string;
  readonly path: string;
  readonly size: number;
  /** `path` is an http(s) URL the service fetches (an upload from a URL). */
  readonly url?: boolean;
}

const GLOB_CHARS = /[*?[]/;

/**
 * Files named by arguments: paths, or patterns (`*`, `?`, `[abc]`, `**` for any depth; hidden
 * entries only when the pattern names them) for shells that pass them through. Each file once,
 * in argument order; an argument that names no file is reported in `unmatched`.
 */
export async function expandFiles(
  args: readonly string[],
  cwd: string,
): Promise<{ files: InputFile[]; unmatched: string[] }> {
  const files: InputFile[] = [];
  const unmatched: string[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    const matches = GLOB_CHARS.test(arg) ? await glob(arg, cwd) : [resolve(cwd, arg)];
    let found = 0;
    for (const path of matches) {
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      found++;
      if (seen.has(path)) continue;
      seen.add(path);
      files.push({ name: isAbsolute(arg) ? path : relative(cwd, path) || path, path, size: info.size });
    }
    if (found === 0) unmatched.push(arg);
  }
  return { files, unmatched };
}

/** Absolute paths matching `pattern`, sorted. */
async function glob(pattern: string, cwd: string): Promise<string[]> {
  const absolute = isAbsolute(pattern);
  const segments = pattern.split(/[\\/]+/).filter((s, i) => s !== '' || i === 0);
  let bases = [absolute ? resolve('/') : cwd];
  if (absolute && segments[0] === '') segments.shift();
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (segment === '**') {
        next.push(base, ...(await descendants(base)));
      } else if (!GLOB_CHARS.test(segment)) {
        next.push(join(base, segment));
      } else {
        const matcher = segmentRegExp(segment);
        const entries = await readdir(base, { withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
          if (!matcher.test(entry.name) || (entry.name.startsWith('.') && !segment.startsWith('.'))) continue;
          if (last || entry.isDirectory()) next.push(join(base, entry.name));
        }
      }
    }
    bases = [...new Set(next)];
  }
  return bases.sort();
}

/** Every folder below `dir`, hidden ones excepted. */
async function descendants(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    found.push(path, ...(await descendants(path)));
  }
  return found;
}

function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) source += '\\[';
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
