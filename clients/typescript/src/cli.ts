#!/usr/bin/env node
import { runCli } from './cli-main.ts';
import { readerTolerant } from './cli-stdio.ts';

// Ctrl-C aborts the requests under way; a second one ends the process at once.
const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort(new Error('interrupted'));
  process.once('SIGINT', () => process.exit(130));
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: readerTolerant(process.stdout),
  stderr: readerTolerant(process.stderr),
  env: process.env,
  cwd: process.cwd(),
  signal: interrupt.signal,
});
