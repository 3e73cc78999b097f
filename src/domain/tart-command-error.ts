/**
 * A tart command that ran and failed. It keeps the whole outcome (argv, exit code, stderr) so a
 * task can record it, and its detail is tart's own first error line — what the user would have
 * seen in a terminal.
 */
import { AppError } from "./errors.ts";
import { firstLine } from "./text.ts";
import type { CommandOutcome } from "./ports.ts";

/** tart's exit code for "VM does not exist / not running / already running". */
export const EXIT_VM_STATE = 2;

export class TartCommandError extends AppError {
  constructor(readonly outcome: CommandOutcome) {
    super("tart_failed", describeFailure(outcome));
    this.name = "TartCommandError";
  }

  get exitCode(): number {
    return this.outcome.exitCode;
  }
}

function describeFailure(outcome: CommandOutcome): string {
  const message = firstLine(outcome.stderr) ?? firstLine(outcome.stdout);
  const command = `tart ${outcome.argv[1] ?? ""}`.trim();
  if (message) return message.replace(/^Error: /, "");
  return `${command} failed with exit code ${outcome.exitCode}`;
}
