import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCo64ChunkOffsets } from './mp4-boxes';

/** How to get the Debian tools the clip tests use as independent peers. */
export const CLIP_TOOLS_INSTALL = 'apt-get install ffmpeg libimage-exiftool-perl';

/** The tools among ffmpeg, ffprobe and exiftool that are not on PATH ('' when all are). */
export function missingClipTools(): string {
  const probes: [string, string[]][] = [
    ['ffmpeg', ['-version']],
    ['ffprobe', ['-version']],
    ['exiftool', ['-ver']],
  ];
  return probes
    .filter(([tool, args]) => spawnSync(tool, args, { stdio: 'ignore' }).status !== 0)
    .map(([tool]) => tool)
    .join(', ');
}

// Asynchronous, so the local server running in the same process keeps answering (a blocked
// event loop lets its keep-alive sockets time out under the next request).
const execFileAsync = promisify(execFile);
const run = async (tool: string, args: string[]): Promise<string> =>
  (await execFileAsync(tool, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;

// A location, a device and user text, in every place exiftool writes them in an MP4.
const TAGS = [
  '-Keys:GPSCoordinates=48.8583 N, 2.2945 E',
  '-Keys:Make=Apple',
  '-Keys:Model=iPhone 15 Pro',
  '-UserData:GPSCoordinates=48.8583 N, 2.2945 E',
  '-UserData:Make=Apple',
  '-UserData:Model=iPhone 15 Pro',
  '-XMP-dc:Description=the secret garden',
  '-XMP-exif:GPSLatitude=48.8583',
  '-XMP-exif:GPSLongitude=2.2945',
];

/** Clips made by ffmpeg (2 s of H.264 with AAC sound), tagged by exiftool or by ffmpeg itself. */
export interface ClipFixtures {
  /** moov before mdat (`-movflags +faststart`), tagged by exiftool: removing boxes moves the media. */
  readonly fastStart: Buffer;
  /** 64-bit chunk offsets, tagged by exiftool (which puts moov first). */
  readonly co64: Buffer;
  /** moov after mdat, with ffmpeg's own UserData (location, make, model, comment). */
  readonly moovLast: Buffer;
  /** Fragmented (`frag_keyframe+empty_moov`), with ffmpeg's UserData. */
  readonly fragmented: Buffer;
  /** A subtitle (mov_text) track beside the picture and sound, as drones write GPS. */
  readonly subtitled: Buffer;
}

/** Makes every clip of `ClipFixtures` in `dir`. Takes about a second on 2 cores. */
export async function makeClipFixtures(dir: string): Promise<ClipFixtures> {
  const path = (name: string) => join(dir, name);
  const ffmpeg = (...args: string[]) => run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);
  await ffmpeg(
    ...['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=2'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=2'],
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', '-c:a', 'aac', '-shortest', path('plain.mp4')],
  );
  const ffmpegTags = ['-metadata', 'location=+48.8583+002.2945/', '-metadata', 'make=Apple'];
  ffmpegTags.push('-metadata', 'model=iPhone 15 Pro', '-metadata', 'comment=the secret garden');
  const remux = async (out: string, ...args: string[]) => {
    await ffmpeg('-i', path('plain.mp4'), ...args, '-c', 'copy', ...ffmpegTags, path(out));
    return readFileSync(path(out));
  };
  const tagged = async (name: string, bytes: Buffer | Promise<Buffer>) => {
    writeFileSync(path(name), await bytes);
    await run('exiftool', ['-q', '-overwrite_original', ...TAGS, path(name)]);
    return readFileSync(path(name));
  };
  writeFileSync(path('subtitles.srt'), '1\n00:00:00,000 --> 00:00:02,000\n48.8583 N, 2.2945 E\n');
  await ffmpeg(
    ...['-i', path('plain.mp4'), '-i', path('subtitles.srt'), '-map', '0', '-map', '1'],
    ...['-c', 'copy', '-c:s', 'mov_text', path('subtitled.mp4')],
  );
  return {
    fastStart: await tagged('fast-start.mp4', remux('fast-start-untagged.mp4', '-movflags', '+faststart')),
    co64: await tagged('co64.mp4', withCo64ChunkOffsets(readFileSync(path('plain.mp4')))),
    moovLast: await remux('moov-last.mp4'),
    fragmented: await remux('fragmented.mp4', '-movflags', 'frag_keyframe+empty_moov'),
    subtitled: readFileSync(path('subtitled.mp4')),
  };
}

let probes = 0;
/** Writes `bytes` to a file of its own in `dir`, for a tool to read. */
function probeFile(dir: string, bytes: Buffer): string {
  probes += 1;
  const file = join(dir, `probe-${probes}.mp4`);
  writeFileSync(file, bytes);
  return file;
}

/** Every tag exiftool reads, as `Group:Name` → value (`-a -G1`: duplicates and groups kept). */
export async function exifTags(dir: string, bytes: Buffer): Promise<Record<string, unknown>> {
  const file = probeFile(dir, bytes);
  const [tags] = JSON.parse(await run('exiftool', ['-j', '-a', '-G1', '-s', file])) as Record<
    string,
    unknown
  >[];
  return tags!;
}

/**
 * What a player sees, read by ffprobe after decoding every frame: per stream its codec,
 * picture or sound format, duration, and the frame count of the container and of the decoder.
 */
export async function probeStreams(dir: string, bytes: Buffer): Promise<unknown> {
  const file = probeFile(dir, bytes);
  const fields = [
    'index,codec_name,codec_type,profile,width,height,pix_fmt,sample_rate,channels',
    'time_base,start_time,duration_ts,duration,nb_frames,nb_read_frames',
  ].join(',');
  const args = ['-v', 'error', '-count_frames', '-show_entries', `stream=${fields}:format=duration`];
  return JSON.parse(await run('ffprobe', [...args, '-of', 'json', file]));
}

/** ffmpeg's per-packet listing (stream, dts, pts, duration, size, MD5 of the bytes), without comments. */
export async function packetHashes(dir: string, bytes: Buffer): Promise<string[]> {
  const file = probeFile(dir, bytes);
  const listing = await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-i',
    file,
    '-map',
    '0',
    '-c',
    'copy',
    '-f',
    'framemd5',
    '-',
  ]);
  return listing.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}
