import { readFileSync } from 'node:fs';
import { commandNamed, commandNames, helpText } from './cli-commands.ts';
import { type CliIo, UsageError } from './cli-context.ts';
import { describe, EXIT, exitCodeOf } from './cli-exit.ts';
import { clientFrom, parseCommandLine } from './cli-options.ts';

export type { CliIo } from './cli-context.ts';
export { EXIT } from './cli-exit.ts';
export { ENV_API_KEY, ENV_API_URL } from './cli-options.ts';

/** Runs the CLI; resolves to its exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // The MCP server has its own options, and its SDK loads only for it.
  if (argv[0] === 'mcp') return (await import('./mcp/command.ts')).runMcpCommand(argv.slice(1), io);
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (err) {
    return usageError(err as Error, io);
  }
  const { values: options, positionals } = parsed;
  if (options.version) {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (options.help || positionals.length === 0) {
    (options.help ? io.stdout : io.stderr).write(helpText());
    return options.help ? EXIT.ok : EXIT.usage;
  }
  try {
    const [name, ...args] = positionals as [string, ...string[]];
    const command = commandNamed(name);
    if (!command) throw new UsageError(`unknown command "${name}": ${commandNames()}`);
    return await command.run({ options, io, client: () => clientFrom(options, io) }, args);
  } catch (err) {
    if (err instanceof UsageError) return usageError(err, io);
    if (io.signal?.aborted) {
      io.stderr.write('s3ip: interrupted\n');
      return 130;
    }
    io.stderr.write(`s3ip: ${describe(err)}\n`);
    return exitCodeOf(err);
  }
}

function usageError(err: Error, io: CliIo): number {
  io.stderr.write(`s3ip: ${err.message}\nRun s3ip --help for usage.\n`);
  return EXIT.usage;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
