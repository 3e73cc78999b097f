/**
 * What the CLI's exit code says, for scripts: 0 done, 1 the operation or its task failed, 2 the
 * command line was wrong, 3 no server is running to talk to. Each failure is an error class, so
 * a command throws and run-cli.ts alone turns it into a message and a code.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, notRunning: 3 } as const;

/** A command line that cannot be run: the message, then a pointer to `--help`. */
export class CliUsageError extends Error {}

/** No server to talk to: none has written its address, it is gone, or it refuses connections. */
export class ServerNotRunning extends Error {}

/** The server answered with an error (`{"detail"}`): the status and the sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** A task that ended `failed` (the message is its error). */
export class TaskFailed extends Error {}
