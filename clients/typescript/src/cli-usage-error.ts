/** A wrong command line: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {}
