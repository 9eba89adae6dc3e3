import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerOutcome } from './peers';

const run = (tool: string, args: string[]) => spawnSync(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * A phone-like clip for the bench: `seconds` of 640×360 H.264 at 25 fps with AAC sound,
 * fast start (moov before mdat, so stripping moves the media), tagged by exiftool with GPS,
 * make, model and an XMP description. Skipped (with the reason) when ffmpeg or exiftool is missing.
 */
export function taggedClip(dir: string, seconds: number): PeerOutcome<Buffer> {
  const file = join(dir, 'bench-clip.mp4');
  const made = run('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=25:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '1M', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', file],
  ]);
  if (made.error || made.status !== 0) return { ok: false, reason: 'ffmpeg not installed (ffmpeg)' };
  const tagged = run('exiftool', [
    ...['-q', '-overwrite_original', '-Keys:GPSCoordinates=48.8583 N, 2.2945 E', '-Keys:Make=Apple'],
    ...['-Keys:Model=iPhone 15 Pro', '-UserData:Make=Apple', '-XMP-dc:Description=the secret garden', file],
  ]);
  if (tagged.error || tagged.status !== 0)
    return { ok: false, reason: 'exiftool not installed (libimage-exiftool-perl)' };
  return { ok: true, value: readFileSync(file) };
}
