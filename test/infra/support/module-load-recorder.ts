import { writeFileSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';

// Preloaded (`node --import tsx --import <this>`) into a child process whose module graph a test
// inspects: records the URL of every module the process loads, through import or require, and
// writes them as a JSON array to the file `MODULE_LOAD_LOG` names when the process exits.
const loaded = new Set<string>();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});

const logFile = process.env.MODULE_LOAD_LOG;
if (!logFile) throw new Error('MODULE_LOAD_LOG: set it to the file the loaded modules are written to');

process.on('exit', () => {
  // CommonJS modules a package requires from inside itself are in the require cache too.
  const required = Object.keys(createRequire(import.meta.url).cache);
  writeFileSync(logFile, JSON.stringify([...loaded, ...required]));
});
