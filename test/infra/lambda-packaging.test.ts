import './support/isolated-home';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BUNDLE_FILE,
  LAMBDA_ARCHITECTURE,
  LAMBDA_ENTRIES,
  REPO_ROOT,
  RENDERING_LAMBDAS,
  type LambdaName,
} from '../../infra/lambda-bundling';
import {
  RENDER_RUNTIME_DIR,
  RENDER_RUNTIME_INSTALL_RECORD,
  RenderRuntimeError,
  checkRenderRuntime,
  lambdaPlatform,
  npmInstallArguments,
  recordInstall,
  requiredPackages,
} from '../../infra/render-runtime';
import type { TileAnswer, TileRequest } from '../../lambdas/imaging/hevc-tile-worker';
import { makeTempDir } from '../support/temp-dir';
import { assetDirOf as assetOf } from './support/lambda-assets';
import { type Synthesized, synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';

const MiB = 1024 * 1024;
const platform = lambdaPlatform();
const target = `${platform.os}-${platform.cpu}`;
/** ELF e_machine of the functions' architecture (EM_AARCH64, EM_X86_64). */
const ELF_MACHINE = { arm64: 0xb7, x86_64: 0x3e }[LAMBDA_ARCHITECTURE];
const RENDERING = Object.keys(LAMBDA_ENTRIES).filter((name) =>
  RENDERING_LAMBDAS.has(name as LambdaName),
) as LambdaName[];
const NOT_RENDERING = Object.keys(LAMBDA_ENTRIES).filter(
  (name) => !RENDERING_LAMBDAS.has(name as LambdaName),
) as LambdaName[];
/**
 * 16×12 HEIC (HEVC Main Still Picture), made with `heif-enc -q 90` from a PNG whose left half is
 * rgb(224,16,16) and right half rgb(16,16,224).
 */
const HEIC_FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'red-blue-16x12.heic');

interface PackageLock {
  readonly packages: Record<string, { version?: string; integrity?: string }>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Every file under `dir`, as paths relative to it with '/' separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

function headerOf(path: string, length = 20): Buffer {
  const header = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, length, 0);
  } finally {
    closeSync(fd);
  }
  return header;
}

const isElf = (header: Buffer) => header.readUInt32BE(0) === 0x7f454c46;
/** ELF machine (e_machine, offset 18) of a 64-bit little-endian ELF file, or undefined. */
const elfMachine = (header: Buffer) =>
  isElf(header) && header[4] === 2 && header[5] === 1 ? header.readUInt16LE(18) : undefined;
const isMachO = (header: Buffer) =>
  [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(header.readUInt32BE(0));

/** Modules that a minified bundle loads by bare name (require, static or dynamic import). */
function bareImportsOf(code: string, names: readonly string[]): string[] {
  return names.filter((name) =>
    new RegExp(String.raw`(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']${name}["']`).test(code),
  );
}

describe('render runtime install (infra/render-runtime)', () => {
  it('pins the same sharp and libheif-js versions as the root package.json, which the tests run', () => {
    // Prepare
    const root = readJson<{ dependencies: Record<string, string> }>(
      join(REPO_ROOT, 'package.json'),
    ).dependencies;

    // Act
    const runtime = readJson<{ dependencies: Record<string, string> }>(
      join(RENDER_RUNTIME_DIR, 'package.json'),
    ).dependencies;

    // Assess
    expect(Object.keys(runtime).sort()).toEqual(['libheif-js', 'sharp']);
    for (const [name, version] of Object.entries(runtime)) expect(version, name).toBe(root[name]);
  });

  it('locks every package at the version and integrity of the root lockfile (what runs on Lambda is what the tests ran)', () => {
    // Prepare
    const root = readJson<PackageLock>(join(REPO_ROOT, 'package-lock.json')).packages;

    // Act
    const runtime = Object.entries(
      readJson<PackageLock>(join(RENDER_RUNTIME_DIR, 'package-lock.json')).packages,
    ).filter(([path]) => path !== '');

    // Assess
    expect(runtime.map(([path]) => path)).toEqual(
      expect.arrayContaining(requiredPackages().map((name) => `node_modules/${name}`)),
    );
    for (const [path, entry] of runtime) {
      expect({ path, version: root[path]?.version, integrity: root[path]?.integrity }).toEqual({
        path,
        version: entry.version,
        integrity: entry.integrity,
      });
    }
  });

  it.each([
    ['arm64', 'arm64'],
    ['x86_64', 'x64'],
  ] as const)(
    'installs for Lambda %s with npm --os=linux --cpu=%s --libc=glibc, from the lockfile, without install scripts',
    (architecture, cpu) => {
      // Act
      const args = npmInstallArguments(lambdaPlatform(architecture));

      // Assess
      expect(args).toEqual([
        'ci',
        `--prefix=${RENDER_RUNTIME_DIR}`,
        '--os=linux',
        `--cpu=${cpu}`,
        '--libc=glibc',
        '--include=optional',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
      ]);
    },
  );

  describe('checkRenderRuntime', () => {
    let dir: { path: string; remove: () => void };

    beforeEach(() => {
      // Prepare: a complete install record and package set for the functions' platform
      dir = makeTempDir('render-runtime');
      for (const name of requiredPackages()) {
        mkdirSync(join(dir.path, name), { recursive: true });
        writeFileSync(join(dir.path, name, 'package.json'), '{}');
      }
      recordInstall(dir.path, platform);
    });
    afterEach(() => dir.remove());

    it('accepts an install of the current lockfile for the functions’ platform', () => {
      // Act + Assess
      expect(() => checkRenderRuntime(dir.path, platform)).not.toThrow();
    });

    it.each([
      [
        'nothing was installed (npm ci --ignore-scripts)',
        () => rmSync(join(dir.path, RENDER_RUNTIME_INSTALL_RECORD)),
        /nothing is installed there/,
      ],
      [
        'the binaries are for another CPU',
        () => recordInstall(dir.path, { ...platform, cpu: platform.cpu === 'arm64' ? 'x64' : 'arm64' }),
        /binaries installed there are for linux-/,
      ],
      [
        'the lockfile changed since the install',
        () => {
          const path = join(dir.path, RENDER_RUNTIME_INSTALL_RECORD);
          writeFileSync(path, JSON.stringify({ ...readJson<object>(path), lockfileSha256: '0'.repeat(64) }));
        },
        /package-lock\.json has changed/,
      ],
      [
        'libvips is missing',
        () => rmSync(join(dir.path, '@img', `sharp-libvips-${target}`), { recursive: true }),
        new RegExp(`@img/sharp-libvips-${target} is missing`),
      ],
    ])('fails the synth when %s, naming the command that fixes it', (_case, spoil, problem) => {
      // Prepare
      spoil();

      // Act + Assess
      expect(() => checkRenderRuntime(dir.path, platform)).toThrow(RenderRuntimeError);
      expect(() => checkRenderRuntime(dir.path, platform)).toThrow(problem);
      expect(() => checkRenderRuntime(dir.path, platform)).toThrow(
        /Run `npm run render-runtime` \(or `npm ci`\)/,
      );
    });
  });
});

describe('Lambda assets (bundled synthesis)', () => {
  let synthesized: Synthesized;
  const assetDirOf = (name: LambdaName): string => assetOf(synthesized, name);

  beforeAll(() => {
    // Prepare (the run's one bundled synthesis, shared with image-proxy-stack-*.test.ts: read only)
    synthesized = synthesize(TWO_CLIENTS_CONTEXT, { bundle: true });
  });

  describe.each(RENDERING)('%s function (renders images)', (name) => {
    let asset: string;
    let files: string[];

    beforeAll(() => {
      asset = assetDirOf(name);
      files = filesUnder(asset);
    });

    it(`carries sharp's native module for ${target} (glibc) as an ELF for the function's architecture`, () => {
      // Act
      const binaries = files.filter(
        (file) => file.startsWith(`node_modules/@img/sharp-${target}/lib/`) && file.endsWith('.node'),
      );

      // Assess
      expect(binaries).toHaveLength(1);
      expect(elfMachine(headerOf(join(asset, binaries[0]!)))).toBe(ELF_MACHINE);
    });

    it(`carries libvips for ${target} (glibc) as an ELF for the function's architecture`, () => {
      // Act
      const libvips = files.filter((file) =>
        new RegExp(`^node_modules/@img/sharp-libvips-${target}/lib/libvips-cpp\\.so`).test(file),
      );

      // Assess
      expect(libvips).toHaveLength(1);
      expect(elfMachine(headerOf(join(asset, libvips[0]!)))).toBe(ELF_MACHINE);
    });

    it('carries no binary for another platform: only this target’s @img packages, every ELF for this CPU, no Mach-O or Windows code', () => {
      // Act
      const imgPackages = readdirSync(join(asset, 'node_modules', '@img')).sort();
      const headers = files.map((file) => ({ file, header: headerOf(join(asset, file)) }));

      // Assess
      expect(imgPackages).toEqual(['colour', `sharp-${target}`, `sharp-libvips-${target}`].sort());
      expect(
        headers
          .filter(({ header }) => isElf(header) && elfMachine(header) !== ELF_MACHINE)
          .map(({ file }) => file),
      ).toEqual([]);
      expect(headers.filter(({ header }) => isMachO(header)).map(({ file }) => file)).toEqual([]);
      expect(
        files.filter(
          (file) => /\.(dll|dylib|exe)$/i.test(file) || /(darwin|win32|linuxmusl|wasm32)/.test(file),
        ),
      ).toEqual([]);
      expect(files.filter((file) => file.endsWith('.node'))).toHaveLength(1);
    });

    it('carries libheif-js and the bundled HEIC tile worker, which decodes a tile with the asset’s own libheif', async () => {
      // Prepare: libheif is WebAssembly, so the asset's own copy runs on any host
      const requireFromAsset = createRequire(join(asset, BUNDLE_FILE));
      const worker = new Worker(join(asset, 'hevc-tile-worker.mjs'));
      const canvas = {
        pixels: new SharedArrayBuffer(16 * 12 * 4),
        width: 16,
        height: 12,
        tileWidth: 64,
        tileHeight: 64,
        halved: false,
      };

      // Act
      const answer = await new Promise<TileAnswer>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({
          id: 1,
          bytes: readFileSync(HEIC_FIXTURE),
          tiles: [[0, 0]],
          canvas,
        } satisfies TileRequest);
      }).finally(() => worker.terminate());

      // Assess
      expect(requireFromAsset.resolve('libheif-js/wasm-bundle.js')).toBe(
        join(asset, 'node_modules', 'libheif-js', 'wasm-bundle.js'),
      );
      expect(readFileSync(join(asset, 'hevc-tile-worker.mjs'), 'utf8')).toMatch(
        /["']libheif-js\/wasm-bundle\.js["']/,
      );
      if ('error' in answer) throw new Error(answer.error);
      // heif-enc stored the 16×12 photo as one 64×64 HEVC tile of a grid cropped to 16×12: the
      // worker wrote the tile's visible part into the shared canvas.
      const data = new Uint8Array(canvas.pixels);
      const rgbAt = (x: number, y: number) => [...data.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 3)];
      const distance = (a: number[], b: number[]) =>
        Math.max(...a.map((value, i) => Math.abs(value - b[i]!)));
      expect(distance(rgbAt(2, 6), [224, 16, 16])).toBeLessThan(12);
      expect(distance(rgbAt(13, 6), [16, 16, 224])).toBeLessThan(12);
    });

    it('imports sharp and libheif-js from its node_modules, never inlining them', () => {
      // Prepare: a handler that imports nothing (lambdas/handlers/render.ts while it is the
      // placeholder of the rendering handler) has nothing to import them through; every handler
      // that imports anything must import both
      const entry = readFileSync(join(REPO_ROOT, LAMBDA_ENTRIES[name]), 'utf8');
      const importsAnything = /^\s*import\s/m.test(entry);

      // Act
      const code = readFileSync(join(asset, BUNDLE_FILE), 'utf8');

      // Assess
      expect(bareImportsOf(code, ['sharp', 'libheif-js/wasm-bundle.js'])).toEqual(
        importsAnything ? ['sharp', 'libheif-js/wasm-bundle.js'] : [],
      );
      expect(code).not.toMatch(/@img\/sharp-|sharp\.node|libheif-bundle/);
      expect(createRequire(join(asset, BUNDLE_FILE)).resolve('sharp')).toBe(
        join(asset, 'node_modules', 'sharp', 'dist', 'index.cjs'),
      );
    });

    it('stays within 40 MiB unzipped, far under Lambda’s 250 MB limit', () => {
      // Act
      const bytes = files.reduce((sum, file) => sum + statSync(join(asset, file)).size, 0);

      // Assess
      expect(bytes).toBeLessThan(40 * MiB);
    });
  });

  it.each(NOT_RENDERING)(
    'gives the %s function no node_modules and no reference to sharp or libheif',
    (name) => {
      // Prepare
      const asset = assetDirOf(name);

      // Act
      const code = readFileSync(join(asset, BUNDLE_FILE), 'utf8');

      // Assess
      // sdk/: the modules it loads on first use (on-first-use-bundles.test.ts)
      expect(
        readdirSync(asset)
          .filter((entry) => entry !== 'sdk')
          .sort(),
      ).toEqual([BUNDLE_FILE, `${BUNDLE_FILE}.map`]);
      expect(code).not.toContain('sharp');
      expect(code).not.toMatch(/libheif/);
    },
  );

  it.each([...NOT_RENDERING, ...RENDERING])(
    'leaves the X-Ray SDK out of the %s bundle when tracing is off (the default)',
    (name) => {
      // Act
      const code = readFileSync(join(assetDirOf(name), BUNDLE_FILE), 'utf8');

      // Assess
      expect(code).not.toMatch(/aws-xray-sdk|AWSXRay/);
    },
  );

  it('bundles the OpenAPI document into the objects function, which answers GET /openapi.json', () => {
    // Act
    const code = readFileSync(join(assetDirOf('objects'), BUNDLE_FILE), 'utf8');

    // Assess
    expect(code).toContain('"3.1.1"');
    expect(code).toContain('x-gateway-responses');
  });
});
