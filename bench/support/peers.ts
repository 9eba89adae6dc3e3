import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A peer's measurement, or why it could not run here (a reason for `skippedRow`). */
export type PeerOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

/**
 * Debian's interpreter, which is the one `python3-pil` installs Pillow for. Not the `python3`
 * first on PATH: that may be a pyenv or venv interpreter without Pillow, or with another one.
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const PILLOW_SCRIPT = fileURLToPath(new URL('../pillow-render.py', import.meta.url));

// The interpreter must see only its own site-packages, not a pyenv's or a user's.
export function pythonEnv(): NodeJS.ProcessEnv {
  const { PYTHONPATH: _path, PYTHONHOME: _home, ...env } = process.env;
  return { ...env, PYTHONNOUSERSITE: '1' };
}

/** Pillow's version under `python`, or why it is not usable. */
export function pillowVersion(python = DEBIAN_PYTHON): PeerOutcome<string> {
  const probe = spawnSync(python, ['-c', 'import PIL, PIL.Image, PIL.ImageOps; print(PIL.__version__)'], {
    env: pythonEnv(),
    encoding: 'utf8',
  });
  if (probe.error || probe.status !== 0) return { ok: false, reason: 'python3-pil not installed' };
  return { ok: true, value: probe.stdout.trim() };
}

/** A running `bench/pillow-render.py`: Pillow doing the pipeline's job on one image, on demand. */
export interface PillowPeer {
  readonly version: string;
  /** The size of the JPEG Pillow wrote (checked against the size asked for). */
  readonly width: number;
  readonly height: number;
  /** Renders the image once more; resolves to Pillow's CPU microseconds for it (process_time: all threads). */
  renderOnce(): Promise<number>;
  close(): void;
}

/**
 * Starts the Pillow peer on `imagePath`: upright, RGB, LANCZOS to `width`×`height`, JPEG
 * quality 85 without EXIF. It renders one warm-up image before it resolves; then each
 * `renderOnce` is one image, so its images can be interleaved with the pipeline's.
 * `draft` lets libjpeg decode at a reduced scale first (Pillow's shrink-on-load).
 */
export async function startPillowPeer(
  imagePath: string,
  size: { width: number; height: number },
  options: { draft?: boolean; python?: string } = {},
): Promise<PeerOutcome<PillowPeer>> {
  const python = options.python ?? DEBIAN_PYTHON;
  const version = pillowVersion(python);
  if (!version.ok) return version;
  const args = [
    PILLOW_SCRIPT,
    imagePath,
    String(size.width),
    String(size.height),
    ...(options.draft ? ['--draft'] : []),
  ];
  const child = spawn(python, args, { env: pythonEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error(`${python} ${args.join(' ')} ended early: ${stderr.trim()}`);
    return line.value;
  };
  try {
    const header = JSON.parse(await nextLine()) as { pillow: string; width: number; height: number };
    if (header.width !== size.width || header.height !== size.height) {
      throw new Error(`Pillow wrote ${header.width}×${header.height}, not ${size.width}×${size.height}`);
    }
    return {
      ok: true,
      value: {
        version: header.pillow,
        width: header.width,
        height: header.height,
        async renderOnce() {
          child.stdin.write('1\n');
          const { cpuSeconds } = JSON.parse(await nextLine()) as { cpuSeconds: number[] };
          return cpuSeconds[0]! * 1e6;
        },
        close: () => child.stdin.end(),
      },
    };
  } catch (err) {
    child.kill();
    throw err;
  }
}

/**
 * Encodes `inputPath` (PNG or JPEG; a JPEG's EXIF is carried over) as HEIC with libheif's
 * `heif-enc` and x265 (Debian `libheif-examples`), at x265's fastest preset: the file is a
 * fixture, its encoding speed is not under test.
 */
export function encodeHeic(
  inputPath: string,
  outputPath: string,
  options: { quality?: number; heifEnc?: string } = {},
): PeerOutcome<string> {
  const args = ['-q', String(options.quality ?? 50), '-p', 'preset=ultrafast', '-o', outputPath, inputPath];
  const run = spawnSync(options.heifEnc ?? 'heif-enc', args, {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    return { ok: false, reason: 'heif-enc not installed (libheif-examples)' };
  if (run.error || run.status !== 0)
    return {
      ok: false,
      reason: `heif-enc failed: ${(run.error?.message ?? run.stderr).trim().split('\n')[0]}`,
    };
  return { ok: true, value: outputPath };
}
