import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './measure';

/** A peer's measurement, or why it could not run here (a reason for `skippedRow`). */
export type PeerOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * Debian's interpreter, which is the one `python3-pil` installs Pillow for. Not the `python3`
 * first on PATH: that may be a pyenv or venv interpreter without Pillow, or with another one.
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const PILLOW_SCRIPT = fileURLToPath(new URL('../pillow-render.py', import.meta.url));

// The interpreter must see only its own site-packages, not a pyenv's or a user's.
function pythonEnv(): NodeJS.ProcessEnv {
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

/** What `bench/pillow-render.py` measured. */
export interface PillowRun {
  readonly version: string;
  /** Median CPU microseconds (process_time: all threads) per image, after one warm-up image. */
  readonly micros: number;
  readonly iterations: number;
  /** The size of the JPEG Pillow wrote, to check it did the same job. */
  readonly width: number;
  readonly height: number;
}

/**
 * Runs the Pillow peer (`bench/pillow-render.py`) on `imagePath`: upright, RGB, LANCZOS to
 * `width`×`height`, JPEG quality 85 without EXIF, `iterations` times after a warm-up.
 * `draft` lets libjpeg decode at a reduced scale first (Pillow's shrink-on-load).
 */
export function runPillowPeer(
  imagePath: string,
  size: { width: number; height: number },
  options: { iterations: number; draft?: boolean; python?: string },
): PeerOutcome<PillowRun> {
  const python = options.python ?? DEBIAN_PYTHON;
  const version = pillowVersion(python);
  if (!version.ok) return version;
  const args = [PILLOW_SCRIPT, imagePath, String(size.width), String(size.height), String(options.iterations)];
  if (options.draft) args.push('--draft');
  const run = spawnSync(python, args, { env: pythonEnv(), encoding: 'utf8', timeout: 120_000 });
  if (run.error || run.status !== 0) throw new Error(`${python} ${args.join(' ')} failed: ${run.error?.message ?? run.stderr}`);
  const out = JSON.parse(run.stdout) as { pillow: string; cpuSeconds: number[]; width: number; height: number };
  if (out.width !== size.width || out.height !== size.height) {
    throw new Error(`Pillow wrote ${out.width}×${out.height}, not ${size.width}×${size.height}`);
  }
  return {
    ok: true,
    value: { version: out.pillow, micros: median(out.cpuSeconds) * 1e6, iterations: out.cpuSeconds.length, width: out.width, height: out.height },
  };
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
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return { ok: false, reason: 'heif-enc not installed (libheif-examples)' };
  if (run.error || run.status !== 0) return { ok: false, reason: `heif-enc failed: ${(run.error?.message ?? run.stderr).trim().split('\n')[0]}` };
  return { ok: true, value: outputPath };
}
