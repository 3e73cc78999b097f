/**
 * Orchard's REST authentication (spec orchard.md §2, api.go `authenticateMiddleware`,
 * `authorizeBase`): HTTP Basic only. A Basic header naming an unknown account or carrying a wrong
 * token is 401 with an empty body — even on a dev controller, because that check runs before the
 * "auth disabled" switch. No header means no principal; a handler that needs roles then answers
 * 401 empty, or 401 `{"message":"all of the following roles must be present: …"}` for a principal
 * that lacks them. Tokens are compared in constant time.
 */
import { timingSafeEqual } from "node:crypto";
import type { Role, ServiceAccount } from "./model.ts";

export type Principal = ServiceAccount | null;

/** The principal, or the 401 to answer. */
export function authenticate(request: Request, accounts: Map<string, ServiceAccount>): Principal | Response {
  const header = request.headers.get("authorization");
  if (!header) return null;
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return null; // Go's BasicAuth() says "not ok": treated as no credentials
  let decoded: string;
  try {
    decoded = atob(match[1]!.trim());
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const account = accounts.get(decoded.slice(0, colon));
  if (!account || !sameToken(account.token, decoded.slice(colon + 1))) return new Response(null, { status: 401 });
  return account;
}

export function authorize(principal: Principal, authDisabled: boolean, mode: "all" | "any", roles: Role[]): Response | null {
  if (authDisabled) return null;
  if (!principal) return new Response(null, { status: 401 });
  const held = new Set(principal.roles);
  const ok = mode === "all" ? roles.every((role) => held.has(role)) : roles.some((role) => held.has(role));
  if (ok) return null;
  const hint = mode === "all" ? "all of the following roles must be present" : "any of the following roles must be present";
  return Response.json({ message: `${hint}: ${roles.join(", ")}` }, { status: 401 });
}

function sameToken(expected: string, given: string): boolean {
  const a = new Bun.CryptoHasher("sha256").update(expected).digest();
  const b = new Bun.CryptoHasher("sha256").update(given).digest();
  return timingSafeEqual(a, b);
}
