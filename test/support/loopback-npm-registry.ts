import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A package as installed under node_modules. */
interface Installed {
  readonly dir: string;
  readonly manifest: Record<string, any>;
}

/**
 * An npm registry on 127.0.0.1 that serves the given dependencies, and everything they need, from
 * what the project already installed in `root`/node_modules: so a test can `npm install` or
 * `npm exec` a packed package with dependencies, as a user would, without the network. Each
 * package is packed again here (a tarball of its installed files), with its own integrity.
 */
export async function startLoopbackNpmRegistry(
  root: string,
  dependencies: Readonly<Record<string, string>>,
): Promise<{ url: string; packages: number; close: () => Promise<void> }> {
  const byName = new Map<string, Map<string, Installed>>();
  const visit = (name: string, from: string) => {
    const found = findInstalled(name, from, root);
    if (!found) throw new Error(`${name} (needed from ${from}) is not installed under ${root}`);
    const versions = byName.get(name) ?? new Map<string, Installed>();
    byName.set(name, versions);
    if (versions.has(found.manifest.version)) return;
    versions.set(found.manifest.version, found);
    const meta = found.manifest.peerDependenciesMeta ?? {};
    const needs = [
      ...Object.keys(found.manifest.dependencies ?? {}),
      ...Object.keys(found.manifest.peerDependencies ?? {}).filter((peer) => !meta[peer]?.optional),
    ];
    for (const dep of needs) visit(dep, found.dir);
  };
  for (const name of Object.keys(dependencies)) visit(name, root);

  const tarballs = new Map<string, Buffer>();
  const packuments = new Map<string, string>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://registry.invalid').pathname).slice(1);
    const body = tarballs.get(path) ?? packuments.get(path);
    if (body === undefined) return res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    res.writeHead(200, {
      'content-type': typeof body === 'string' ? 'application/json' : 'application/octet-stream',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  for (const [name, versions] of byName) {
    const entries: Record<string, unknown> = {};
    for (const [version, { dir, manifest }] of versions) {
      const file = `${name}/-/${name.split('/').pop()}-${version}.tgz`;
      const tgz = packDirectory(dir);
      tarballs.set(file, tgz);
      entries[version] = {
        ...manifest,
        dist: {
          tarball: `${url}/${file}`,
          integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
          shasum: createHash('sha1').update(tgz).digest('hex'),
        },
      };
    }
    const latest = [...versions.keys()].sort(compareVersions).at(-1)!;
    packuments.set(name, JSON.stringify({ name, 'dist-tags': { latest }, versions: entries }));
  }
  return {
    url,
    packages: tarballs.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Node's lookup: `name` in the node_modules of `from` or of a folder above it, up to `root`. */
function findInstalled(name: string, from: string, root: string): Installed | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    try {
      return { dir: candidate, manifest: JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) };
    } catch {
      if (dir === root || dir === dirname(dir)) return undefined;
    }
  }
}

function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/).map((part) => Number(part) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** A gzipped tar (ustar) of a package directory under `package/`, without its own node_modules. */
function packDirectory(dir: string): Buffer {
  const blocks: Buffer[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.isFile()) {
        const content = readFileSync(full);
        blocks.push(
          tarHeader(
            `package/${relative(dir, full).split('\\').join('/')}`,
            content.length,
            statSync(full).mode,
          ),
        );
        blocks.push(content, Buffer.alloc((512 - (content.length % 512)) % 512));
      }
    }
  };
  walk(dir);
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

function tarHeader(path: string, size: number, mode: number): Buffer {
  const header = Buffer.alloc(512);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    // ustar splits a long path at a `/` into a prefix (155 bytes) and a name (100 bytes).
    let at = path.indexOf('/');
    while (at !== -1 && Buffer.byteLength(path.slice(at + 1)) > 100) at = path.indexOf('/', at + 1);
    if (at === -1 || at > 155) throw new Error(`path too long for a ustar header: ${path}`);
    prefix = path.slice(0, at);
    name = path.slice(at + 1);
  }
  header.write(name, 0, 100, 'utf8');
  header.write(`${(mode & 0o777).toString(8).padStart(7, '0')}\0`, 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write(`${'0'.padStart(11, '0')}\0`, 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write('0', 156, 'latin1');
  header.write('ustar\x0000', 257, 'latin1');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}
