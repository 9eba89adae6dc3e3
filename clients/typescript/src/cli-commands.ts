import type { CommandContext } from './cli-context.ts';
import { infoCommand, listCommand, removeCommand } from './cli-objects.ts';
import { ENV_API_KEY, ENV_API_URL, PROFILES } from './cli-options.ts';
import { presignCommand } from './cli-presign.ts';
import { uploadCommand } from './cli-upload.ts';

/** One command of the CLI: a row of the table `s3ip <name>` dispatches on. */
export interface CliCommand {
  readonly name: string;
  /** Its usage lines in --help, each after `s3ip `. */
  readonly usage: readonly string[];
  /** Runs it with the arguments after its name; resolves to the exit code. */
  run(context: CommandContext, args: string[]): Promise<number>;
}

/** Every command, in the order --help lists them. Add a command here (and its options in cli-options.ts). */
export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'upload',
    usage: [
      'upload <files, globs or http(s) URLs…> [--fit PROFILE] [--json | --prompt PROVIDER] [--concurrency N]',
    ],
    run: uploadCommand,
  },
  { name: 'ls', usage: ['ls [PREFIX] [--limit N] [--json]'], run: listCommand },
  { name: 'info', usage: ['info <key|url> [--json]'], run: infoCommand },
  { name: 'rm', usage: ['rm <key|url>… [--json]'], run: removeCommand },
  {
    name: 'presign',
    usage: [
      'presign get <key|url> [--expires SECONDS] [--json]',
      'presign put <file> [--fit PROFILE] [--expires SECONDS] [--json]',
    ],
    run: presignCommand,
  },
];

export function commandNamed(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}

/** The names, for "unknown command" messages: `upload, ls, info, rm or presign`. */
export function commandNames(): string {
  const names = COMMANDS.map((command) => command.name);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
}

export function helpText(): string {
  return `s3ip: turn images into URLs that AI models can fetch (s3-image-proxy)

Usage:
${COMMANDS.flatMap((command) => command.usage.map((line) => `  s3ip ${line}`)).join('\n')}
  s3ip mcp [--allow-dir DIR]…    an MCP server over stdio for agents (s3ip mcp --help)

Options:
  --api-url URL         API base URL (default: $${ENV_API_URL})
  --api-key KEY         API key (default: $${ENV_API_KEY}; prefer the variable: arguments show in ps)
  --json                print JSON: an array of results (upload, ls, rm), one object (info, presign)
  --prompt PROVIDER     upload: print the prompt blocks, a JSON array: openai, openai-responses, anthropic, gemini
  --fit PROFILE         ${PROFILES.join(', ')}
  --concurrency N       files uploaded at once (default 4)
  --progress, --no-progress   force the progress bar on or off (default: on when stderr is a terminal)
  --timeout SECONDS     per request attempt (default 30)
  --retries N           retries of 429/502/503/504, lost connections and timeouts (default 3)
  -h, --help            this text
  -V, --version         the version

Images up to 4,400,000 bytes go to POST /uploads; larger ones through a presigned PUT, then
the service's check; an http(s) URL is fetched by the service itself. The key is never printed.

Exit codes: 0 done; 1 some files or objects failed (a source URL that failed too); 2 usage (bad
arguments, missing URL or key, no such file); 3 the API key was refused; 4 the service was
unreachable or unavailable.
`;
}
