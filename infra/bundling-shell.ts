/** A path the bundling shell cannot be given safely: the synth stops rather than run a mangled command. */
export class BundlingShellError extends Error {
  override readonly name = 'BundlingShellError';
}

/**
 * `args` double-quoted for the shell that runs NodejsFunction's command hooks (sh on Linux and
 * macOS, cmd on Windows: double quotes are what both read). An argument holding a double quote
 * is refused, not escaped, because the two shells escape it differently.
 */
export function shellQuoted(...args: string[]): string {
  return args
    .map((arg) => {
      if (arg.includes('"')) throw new BundlingShellError(`cannot quote ${arg} for the bundling shell`);
      return `"${arg}"`;
    })
    .join(' ');
}
