/**
 * The browser's side of a shell websocket (local or cluster VM): opens it from the app's Origin,
 * collects what the terminal printed (binary frames) and counts text frames, and waits for text.
 */
export async function openTerminal(url: string, origin: string) {
  const socket = new WebSocket(url, { headers: { Origin: origin } } as any);
  socket.binaryType = "arraybuffer";
  let screen = "";
  let text = 0;
  socket.onmessage = (event) => (typeof event.data === "string" ? text++ : (screen += new TextDecoder().decode(event.data as ArrayBuffer)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (socket.onclose = (e) => resolve({ code: e.code, reason: e.reason })));
  await new Promise((resolve, reject) => ((socket.onopen = resolve), (socket.onerror = reject)));
  return {
    socket,
    closed,
    textFrames: () => text,
    type: (keys: string) => socket.send(new TextEncoder().encode(keys)),
    async waitFor(pattern: RegExp, ms = 10_000) {
      const until = Date.now() + ms;
      while (!pattern.test(screen)) {
        if (Date.now() > until) throw new Error(`terminal never showed ${pattern}; it shows:\n${screen}`);
        await Bun.sleep(20);
      }
      return screen;
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
