// What every command receives: TART_HOME, the knobs of this invocation and its parsed
// arguments, plus the output helpers that apply the `garbage` knob. Commands export
// `run(ctx)` and optionally `validate(ctx)` (sap's check order, spec §1.3).
import type { Parsed } from "./args.ts";
import type { Knobs } from "./knobs.ts";
import { println } from "./output.ts";
import { swiftJSON, type JsonValue } from "./swift-json.ts";

export interface Ctx {
  home: string;
  knobs: Knobs;
  args: Parsed;
  /** The `garbage` knob is on for this command: replace its output by unparseable text. */
  garbage: boolean;
}

export interface CommandModule {
  validate?(ctx: Ctx): void;
  run(ctx: Ctx): Promise<number | void> | number | void;
}

const GARBAGE = '[\n  {\n    "Source" : "local",\n    "Na\u0000\u00ff<<garbage>> not json at all }}}]';

export function printJSON(ctx: Ctx, value: JsonValue): void {
  println(ctx.garbage ? GARBAGE : swiftJSON(value));
}

export function printText(ctx: Ctx, text: string): void {
  println(ctx.garbage ? "\u0000\u00ff<<garbage>> 999.999.999.999 %%%" : text);
}
