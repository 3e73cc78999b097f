/**
 * Whether a process still exists: signal 0 checks without sending anything, and EPERM means it
 * exists but belongs to another user. Used for the pids this server keeps in its files (a
 * console's `tart run`, the server a CLI talks to).
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
