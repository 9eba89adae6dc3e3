import { randomBytes } from 'node:crypto';
import { decodeBase64Strict as next } from '../../lambdas/core/base64';
import { decodeBase64Strict as old } from './base64-old';
const run = (f: (s: string) => Buffer, s: string) => { try { return f(s).toString('hex'); } catch (e) { return 'ERR ' + (e as Error).message; } };
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \n\r\t!,.;:~Ł\u00e9\u0000"*';
let n = 0, bad = 0;
for (let i = 0; i < 300000; i++) {
  let s: string;
  const mode = i % 3;
  if (mode === 0) { s = ''; const len = Math.floor(Math.random() * 14); for (let j = 0; j < len; j++) s += alphabet[Math.floor(Math.random() * alphabet.length)]; }
  else { const b = randomBytes(Math.floor(Math.random() * 12)); s = mode === 1 ? b.toString('base64') : b.toString('base64url'); 
    if (Math.random() < 0.5) { const k = Math.floor(Math.random() * (s.length + 1)); s = s.slice(0, k) + alphabet[Math.floor(Math.random() * alphabet.length)] + s.slice(k); }
    if (Math.random() < 0.3) s = s.replace(/=+$/, ''); }
  n++;
  const a = run(old, s), b = run(next, s);
  if (a !== b) { bad++; if (bad < 10) console.log(JSON.stringify(s), a, '|', b); }
}
console.log(n, 'cases', bad, 'differences');
