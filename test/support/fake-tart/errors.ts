// The three ways real tart reports a failure (spec §1.1), as values.
// Commands throw these; main.ts renders them once, so every text and exit code
// comes from one place, the same way Root.swift funnels every error.

/** A Tart `RuntimeError`: printed raw (no "Error: " prefix), exit 2 or 1. */
export class TartRuntimeError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/**
 * A swift-argument-parser usage error (parse error or ValidationError): "Error:", an optional
 * "Help:" line, then the usage of `usageOf` (a command name, or "" for the root). Exit 64.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usageOf: string,
    readonly help = "",
  ) {
    super(message);
  }
}

/** Any other error (Foundation, registry, LessThanMinimalResources): "Error: <text>", exit 1. */
export class PlainError extends Error {}

// The RuntimeError texts of VMStorageHelper.swift that several commands share.
export const vmDoesNotExist = (name: string) =>
  new TartRuntimeError(`the specified VM "${name}" does not exist`, 2);
export const vmNotRunning = (name: string) => new TartRuntimeError(`VM "${name}" is not running`, 2);
