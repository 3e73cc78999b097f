// `tart login HOST` (Login.swift, KeychainCredentialsProvider.swift, Registry.swift at 2.32.1).
// With --username the password is read from standard input to its end, trailing newlines
// trimmed (`echo $PASSWORD | tart login --username U --password-stdin HOST`); without, the user
// and password are read as two lines. Unless --no-validate, the registry is pinged with them
// (GET /v2/): there is no registry here, so every host takes any credentials, except the hosts
// the `registry_logins` knob lists (`{"host": {"user": "password"}}`), which answer 401 to any
// other pair, as a registry with basic auth does. The credentials are then stored: real tart puts
// them in the Keychain (internet password, server HOST, label "Tart Credentials"); the fake's
// stand-in is $TART_HOME/fake-keychain.json. Prints nothing.
import { readFileSync } from "node:fs";
import { value } from "../args.ts";
import type { Ctx } from "../context.ts";
import { PlainError, TartRuntimeError, UsageError } from "../errors.ts";
import { storeCredentials } from "../keychain.ts";

// The host grammar of Reference.g4: dot-separated components, an optional port.
const HOST = /^(?:[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*)(?:\.[A-Za-z0-9]+(?:-+[A-Za-z0-9]+)*)*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;

export function validate(ctx: Ctx): void {
  if ((value(ctx.args, "username") !== undefined) !== ctx.args.flags.has("password-stdin"))
    throw new UsageError("both --username and --password-stdin are required", "login");
}

export function run(ctx: Ctx): void {
  const host = ctx.args.args[0]!;
  const stdin = readStdin();
  let user = value(ctx.args, "username");
  let password: string;
  if (user !== undefined) password = stdin.replace(/[\r\n]+$/, "");
  else {
    const [line1, line2] = stdin.split("\n");
    if (!line1) throw new PlainError('CredentialRequired(which: "username")');
    if (line2 === undefined) throw new PlainError('CredentialRequired(which: "password")');
    user = line1.trim();
    password = line2.replace(/\r$/, "");
  }
  if (!ctx.args.flags.has("no-validate")) {
    // Registry(host:) builds https://HOST/v2/ only to validate: a host it cannot parse fails there.
    if (!HOST.test(host)) {
      const hint = host.startsWith("http://") || host.startsWith("https://") ? ", make sure that it doesn't start with http:// or https://" : "";
      throw new TartRuntimeError(`improperly formatted host "${host}" was provided${hint}`);
    }
    const accounts = ctx.knobs.registry_logins?.[host];
    if (accounts && accounts[user] !== password)
      throw new TartRuntimeError('invalid credentials: UnexpectedHTTPStatusCode(when: "doing ping", code: 401, details: "")');
  }
  storeCredentials(ctx.home, host, user, password);
}

function readStdin(): string {
  try {
    return readFileSync(0, "utf8");
  } catch {
    return ""; // stdin closed or not readable: an empty password, as readDataToEndOfFile gives
  }
}
