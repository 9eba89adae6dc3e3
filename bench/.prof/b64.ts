import { readFileSync } from 'node:fs';
import { compareCpu } from '../support/measure';
const image = readFileSync('/tmp/prof/img-100k.png');
const b64 = image.toString('base64');
const T = new Uint8Array(128); for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') T[c.charCodeAt(0)] = 3; T[43]=T[47]=1; T[45]=T[95]=2;
function loop(s: string) { let seen = 0; const n = s.length; for (let i = 0; i < n; i++) { const c = s.charCodeAt(i); const k = c < 128 ? T[c]! : 0; if (k === 0) return false; seen |= k; } return (seen & 3) !== 0; }
const canon = (s: string) => { const b = Buffer.from(s, 'base64'); return b.toString('base64') === s; };
const neg = /[^A-Za-z0-9+/]/;
const ops: Record<string, () => unknown> = {
  decode: () => Buffer.from(b64, 'base64'),
  loop: () => loop(b64),
  'decode+reencode+cmp': () => canon(b64),
  'neg regex': () => neg.test(b64),
  'latin1 copy': () => Buffer.from(b64, 'latin1'),
};
for (const [n, op] of Object.entries(ops)) { const r = await compareCpu(op, () => Buffer.from(b64, 'base64'), { batches: 7 }); console.log(n.padEnd(22), r.subjectMicros.toFixed(1), r.floorMicros.toFixed(1)); }
