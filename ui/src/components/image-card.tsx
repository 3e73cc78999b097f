/**
 * One pulled OCI image as a card: what it is (repository, tag, digest), what it costs on disk and
 * when it was last used, and what can be done with it — create a VM from it, clone, delete it
 * from tart's cache. An image is never run, so it has no status, IP, CPU or OS of its own. While
 * it is being pulled (its placeholder card, or a re-pull of a tag) the card shows the pull's bar
 * with bytes, rate and ETA. Beside its badge: how many local VMs were made from it.
 */
import { Show } from "solid-js";
import type { Vm } from "../api/types.ts";
import { useNow } from "../context/clock.tsx";
import { useVmList } from "../context/vm-list.tsx";
import { formatDisk, formatRelative, formatSizeOnDisk } from "../lib/format.ts";
import { taskProgress } from "../lib/progress.ts";
import { pullProgressText } from "../lib/pull-progress.ts";
import { parseImageRef, shortDigest } from "../lib/vm-labels.ts";
import { ImageVmCount } from "./image-vm-count.tsx";
import { ProgressBar } from "./progress-bar.tsx";
import { StatusBadge } from "./status-badge.tsx";
import { VmActions } from "./vm-actions.tsx";

export function ImageCard(props: { vm: Vm }) {
  const list = useVmList();
  const now = useNow();
  const ref = () => parseImageRef(props.vm.name, props.vm.digest);
  const pull = () => {
    const task = list.busyTask(props.vm);
    return task?.action === "pull_vm" && task.status === "running" ? task : null;
  };
  return (
    <article class="vm-card image-card" data-testid={`vm-card-${props.vm.name}`} data-vm-name={props.vm.name} aria-label={props.vm.name}>
      <header class="vm-card-header">
        <h3 class="vm-name" title={props.vm.name}>
          {ref().repository}
        </h3>
        <StatusBadge vm={props.vm} busy={list.busyLabel(props.vm)} />
        <ImageVmCount reference={props.vm.name} />
      </header>
      <dl class="facts">
        <div>
          <dt>Tag</dt>
          <dd data-testid="image-tag" class="mono">{ref().tag ?? "—"}</dd>
        </div>
        <div>
          <dt>Digest</dt>
          <dd data-testid="image-digest" class="mono" title={ref().digest ?? undefined}>
            {shortDigest(ref().digest)}
          </dd>
        </div>
        <div>
          <dt>On disk</dt>
          <dd data-testid="image-size">{formatSizeOnDisk(props.vm.size_on_disk)}</dd>
        </div>
        <div>
          <dt>Disk</dt>
          <dd data-testid="vm-disk">{formatDisk(props.vm.disk_size)}</dd>
        </div>
        <Show when={props.vm.accessed}>
          <div>
            <dt>Last used</dt>
            <dd data-testid="image-accessed" title={props.vm.accessed ?? undefined}>
              {formatRelative(props.vm.accessed, now())}
            </dd>
          </div>
        </Show>
      </dl>
      <Show when={pull()}>
        {(task) => (
          <ProgressBar
            value={taskProgress(task())}
            label={`Pull of ${props.vm.name}`}
            detail={pullProgressText(task().pull_progress, now() / 1000)}
            testid="image-pull-progress"
          />
        )}
      </Show>
      <VmActions vm={props.vm} />
    </article>
  );
}
