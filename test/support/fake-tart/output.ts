// stdout/stderr the way tart's process behaves: every line reaches the pipe at once
// (tart calls setlinebuf), and writing to a closed pipe kills the process with SIGPIPE
// (spec §0.8). Bun ignores SIGPIPE like Node does; adding and removing a listener puts
// the default action back, so a dead reader kills us exactly as it would kill tart.
// The `crash` knob also lives here, because it is about cutting output short.
import { writeSync } from "node:fs";

const noop = () => {};
process.on("SIGPIPE", noop);
process.off("SIGPIPE", noop);

let crashOnOutput = false;

/** Arms the `crash` knob: the next stdout write prints half of its text, then SIGSEGV. */
export function armCrash(): void {
  crashOnOutput = true;
}

export function crashNow(): never {
  process.kill(process.pid, "SIGSEGV");
  // The signal is delivered before the kill returns; this only satisfies the type.
  process.exit(139);
}

function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text);
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      // A non-blocking pipe that is full: wait a little, then retry. Anything else
      // (EPIPE without SIGPIPE, EBADF) means nobody reads; drop the output like a dead tty.
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
    }
  }
}

export function out(text: string): void {
  if (crashOnOutput) {
    writeAll(1, text.slice(0, Math.ceil(text.length / 2)));
    crashNow();
  }
  writeAll(1, text);
}

/** Swift's `print`: the text plus a newline. */
export function println(text = ""): void {
  out(text + "\n");
}

export function eprintln(text: string): void {
  writeAll(2, text + "\n");
}
