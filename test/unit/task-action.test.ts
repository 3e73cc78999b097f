// Task actions carry the original app's names; history stored under the old short names reads
// back under the new ones, so a restart after the upgrade keeps every task retryable.
import { expect, test } from "bun:test";
import { storedAction } from "../../src/domain/task.ts";

test.each([
  ["start", "start_vm"],
  ["stop", "stop_vm"],
  ["delete", "delete_vm"],
  ["clone", "clone_vm"],
  ["create", "create_vm"],
  ["pull", "pull_vm"],
  ["pull_vm", "pull_vm"],
  ["start_vm", "start_vm"],
])("stored %p reads as %p", (stored, expected) => {
  expect(storedAction(stored)).toBe(expected as ReturnType<typeof storedAction>);
});
