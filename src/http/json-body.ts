/**
 * The app's one body parser: reads a request's body stream itself, counting bytes as they arrive,
 * so the 64 KiB cap holds whatever the framing. A Content-Length over the cap is refused by the
 * guard before any byte is read; a chunked body is cut off here at the first chunk past the cap,
 * before any route sees it. Bun's own limit (maxRequestBodySize) is set far above ours (see
 * server-options.ts), so the refusal a client gets is always this JSON one.
 */
import { AppError } from "../domain/errors.ts";

export const MAX_BODY_BYTES = 64 * 1024;

export const tooLarge = () => new AppError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes`);

/**
 * The parsed JSON, or null for an empty or absent body: a route that takes none gets null (and
 * accepts it), one that needs a body refuses it with its schema's 422, as the original app did.
 * (Undefined would hand the already-read stream to Elysia's own parser, which fails on it.)
 * Throws the 413 AppError at the cap and SyntaxError for malformed JSON.
 */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  if (!request.body) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (size === 0) return null;
  return JSON.parse(new TextDecoder().decode(Buffer.concat(chunks)));
}
