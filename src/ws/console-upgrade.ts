/**
 * The subprotocol rule of the console and shell websockets. Bun echoes the first protocol a
 * client offers when the upgrade names none, so it is chosen here: `binary` when offered (old
 * noVNC, websockify clients), nothing when none is offered (noVNC ≥ 1.2), and a client that
 * offers only others (`base64`) is refused: this socket carries binary frames only.
 */
import { AppError } from "../domain/errors.ts";

export function checkBinarySubprotocol(request: Request): string | null {
  const offered = (request.headers.get("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (!offered.length) return null;
  if (offered.includes("binary")) return "binary";
  throw new AppError("forbidden", `Unsupported websocket subprotocol ${offered.join(", ")}: only binary frames are spoken here`);
}
