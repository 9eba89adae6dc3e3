import { writeFileSync } from 'node:fs';
import { noisyImage } from '../support/images';
writeFileSync('/tmp/prof/img-100k.png', await noisyImage('png', 100_000));
writeFileSync('/tmp/prof/img-4m.png', await noisyImage('png', 4_000_000));
