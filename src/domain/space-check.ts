/**
 * Before a pull (or a clone or create whose source image is not pulled yet) writes an image into
 * tart's home, its uncompressed disk must fit in the free space there: tart itself would find out
 * only after downloading for an hour, and a full boot volume takes the host down with it. A 507
 * says how much is needed and free and what to do; `"force": true` skips the check for a user who
 * knows better (an image whose disk is mostly holes, space about to be freed).
 *
 * What cannot be known (the registry did not say the size, the volume cannot be asked) is not a
 * refusal: the task's log says the space was not checked, and why.
 */
import { AppError } from "./errors.ts";

export interface SpaceFacts {
  /** Free bytes on the volume holding tart's home, or null when it cannot be told. */
  freeBytes(): number | null;
  /** The image's uncompressed disk size in bytes, or null with the reason it is not known. */
  imageDiskBytes(reference: string): Promise<{ bytes: number | null; reason?: string }>;
  /** Where tart keeps its images, for the message. */
  readonly tartHome: string;
}

/** What the check found, for the task's log. */
export type SpaceVerdict = { checked: true; needBytes: number; freeBytes: number } | { checked: false; reason: string };

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

/** Throws 507 when `reference` would not fit and `force` is not set; otherwise says what it saw. */
export async function checkImageFits(facts: SpaceFacts, reference: string, force: boolean): Promise<SpaceVerdict> {
  if (force) return { checked: false, reason: "skipped (force)" };
  const free = facts.freeBytes();
  if (free === null) return { checked: false, reason: `the free space of ${facts.tartHome} cannot be read` };
  const size = await facts.imageDiskBytes(reference);
  if (size.bytes === null) return { checked: false, reason: `the image's size is not known${size.reason ? ` (${size.reason})` : ""}` };
  if (size.bytes > free) {
    throw new AppError(
      "insufficient_storage",
      `${reference} does not fit: its disk is ${gb(size.bytes)} and the volume holding ${facts.tartHome} has ${gb(free)} free. ` +
        'Free some space (delete VMs or images you no longer need, or run tart prune), or send "force": true to pull anyway.',
    );
  }
  return { checked: true, needBytes: size.bytes, freeBytes: free };
}

/** The log line for a verdict. */
export function describeVerdict(verdict: SpaceVerdict): string {
  return verdict.checked
    ? `free space checked: the image's disk is ${gb(verdict.needBytes)}, ${gb(verdict.freeBytes)} free`
    : `free space not checked: ${verdict.reason}`;
}
