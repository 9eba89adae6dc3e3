import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** A relative link that does not resolve: its file, the target as written, and why. */
export interface BrokenLink {
  readonly file: string;
  readonly target: string;
  readonly reason: string;
}

/** What the checker may know of the tree: a file's text, '' for a directory, undefined if absent. */
export type ReadRepoPath = (path: string) => string | undefined;

/** Markdown with fenced code blocks blanked (their lines kept, so line counts stay). */
function withoutCodeBlocks(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence === undefined) {
      if (!marker) return line;
      fence = marker[1];
    } else if (marker && marker[1]!.startsWith(fence) && marker[2]!.trim() === '') {
      fence = undefined; // a closing fence: at least as long, no info string
    }
    return '';
  });
}

/** A heading's text as GitHub renders it: code spans keep their content, links their text. */
function headingText(source: string): string {
  return source
    .split(/(`+[^`]*`+)/)
    .map((part, i) =>
      i % 2 === 1
        ? part.replace(/^`+|`+$/g, '')
        : part
            .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/\*+/g, '')
            .replace(/(^|\W)_([^_]+)_(?=\W|$)/g, '$1$2'),
    )
    .join('');
}

/**
 * The `#fragment`s GitHub gives a document's headings (github-slugger): lower case, every
 * character but letters, marks, digits, `_`, `-` and spaces dropped, spaces become `-`, and a
 * repeated slug gets `-1`, `-2`, ….
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of withoutCodeBlocks(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = headingText(heading)
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    let unique = slug;
    for (let n = 1; anchors.has(unique); n++) unique = `${slug}-${n}`;
    anchors.add(unique);
  }
  return anchors;
}

/** The link targets of a document, outside code: `[text](target)`, images, and `[ref]: target`. */
export function linkTargets(markdown: string): string[] {
  const prose = withoutCodeBlocks(markdown)
    .join('\n')
    .replace(/(`+)[^`]*?\1/g, '');
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const references = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  return [...inline, ...references];
}

/** The relative links and anchors of `file` (a path inside the repository) that do not resolve. */
export function brokenLinks(file: string, markdown: string, read: ReadRepoPath): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not this repository's
    const [rawPath = '', rawFragment] = target.split('#', 2);
    const path = rawPath === '' ? file : normalize(join(dirname(file), decodeURIComponent(rawPath)));
    const text = path.startsWith('..') ? undefined : read(path);
    if (text === undefined) {
      broken.push({ file, target, reason: `no file ${path}` });
    } else if (rawFragment !== undefined) {
      const fragment = decodeURIComponent(rawFragment).toLowerCase();
      if (!path.endsWith('.md') || !headingAnchors(text).has(fragment))
        broken.push({ file, target, reason: `no heading #${fragment} in ${path}` });
    }
  }
  return broken;
}

/** Reads paths of the repository at `root`: a file's text, '' for a directory, else undefined. */
export function repoReader(root: string): ReadRepoPath {
  return (path) => {
    const full = join(root, path);
    if (relative(root, full).startsWith('..') || !existsSync(full)) return undefined;
    return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
  };
}
