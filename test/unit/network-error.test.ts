// Which tart failures a pull retries: the NSURLError texts tart prints as `Error: <text>`, and
// nothing else (a registry 404 would only come again).
import { expect, test } from "bun:test";
import { networkErrorOf, retryDelayMs } from "../../src/domain/pull-retry.ts";
import { TartCommandError } from "../../src/domain/tart-command-error.ts";
import { AppError } from "../../src/domain/errors.ts";

const failed = (stderr: string) => new TartCommandError({ argv: ["tart", "pull", "ghcr.io/a/b:c"], exitCode: 1, stdout: "", stderr });

test.each([
  "The network connection was lost.",
  "The Internet connection appears to be offline.",
  "A server with the specified hostname could not be found.",
  "The request timed out.",
  "Could not connect to the server.",
  "A data connection is not currently allowed.",
])("retried: %p", (text) => {
  expect(networkErrorOf(failed(`Error: ${text}\n`))).toBe(text);
});

test("found past a stray line before it", () => {
  expect(networkErrorOf(failed("Failed to perform garbage collection: busy\nError: The request timed out.\n"))).toBe("The request timed out.");
});

test.each([
  'Error: UnexpectedHTTPStatusCode(when: "pulling manifest", code: 404, details: "{}")',
  "Error: CancellationError()",
  "failed to parse remote name: x (character 3)",
  "The network connection was lost.", // tart always prefixes a Foundation error with "Error: "
  "Error: The network connection was lost. Or was it?",
])("not retried: %p", (stderr) => {
  expect(networkErrorOf(failed(stderr))).toBeNull();
});

test("only tart's failures count", () => {
  expect(networkErrorOf(new AppError("timeout", "The request timed out."))).toBeNull();
  expect(networkErrorOf(new Error("Error: The request timed out."))).toBeNull();
});

test("the pause doubles", () => {
  const policy = { retries: 3, firstDelayMs: 5000 };
  expect([1, 2, 3].map((retry) => retryDelayMs(policy, retry))).toEqual([5000, 10_000, 20_000]);
});
