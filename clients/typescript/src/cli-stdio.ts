/** Where the CLI prints: a process stream, or a test's. */
export interface CliStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * A process stream the CLI can keep writing to after its reader is gone: `s3ip ls | head -1`
 * closes the pipe after one line, and the next write fails with EPIPE. What the reader no longer
 * wants is dropped quietly (no stack trace); the command finishes and exits with its own code.
 * Any other error of the stream is thrown as before.
 */
export function readerTolerant(stream: NodeJS.WriteStream): CliStream {
  let readerGone = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    readerGone = true;
  });
  return {
    write: (text: string) => readerGone || stream.write(text),
    isTTY: stream.isTTY === true,
  };
}
