/**
 * Settings → Host: what the Mac has and how much tart uses of it (GET /api/host): OS, tart,
 * cores and memory, the free space of tart's volume, the macOS VMs running against the limit of
 * two, and the size of tart's OCI and IPSW caches. Prune opens a small form (what to prune, an
 * age, a space budget, the `tart prune` line it runs); the finished prune says what it reclaimed.
 */
import { createEffect, createMemo, createResource, createSignal, For, on, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { errorDetail } from "../api/client.ts";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { diskUsage, formatBytes, macosVmsLabel, osText, pruneCommand, pruneRequest, pruneSummary, type PruneForm, type PruneOutcome } from "../lib/host-facts.ts";
import { explainFailure } from "../lib/task-failure.ts";
import { CommandPreview } from "./command-preview.tsx";
import { Field, FormError } from "./field.tsx";
import { Icon } from "./icons.tsx";

export function HostSection() {
  const session = useSession();
  const tasks = useTasks();
  const [facts, { refetch }] = createResource(session.api, (api) => api.host());
  const [open, setOpen] = createSignal(false);
  const [form, setForm] = createStore<PruneForm>({ entries: "caches", olderThan: "", spaceBudget: "" });
  const [tried, setTried] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [taskId, setTaskId] = createSignal<string | null>(null);
  const checked = createMemo(() => pruneRequest(form));
  const task = () => (taskId() ? tasks.state.byId[taskId()!] : undefined);
  const finished = () => task()?.status === "completed" || task()?.status === "failed";
  const outcome = () => (finished() ? task()! : null);
  // A finished prune changed the caches and the free space: ask again.
  createEffect(on(finished, (done) => done && void refetch(), { defer: true }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    const api = session.api();
    const request = checked().request;
    if (!api || !request || busy()) return;
    setBusy(true);
    setError(null);
    try {
      const started = await tasks.run(() => api.prune(request), { quiet: true });
      setTaskId(started.id);
    } catch (err) {
      setError(errorDetail(err));
    } finally {
      setBusy(false);
    }
  };

  const numberField = (field: "olderThan" | "spaceBudget", id: string, label: string, hint: string) => (
    <Field id={id} label={label} hint={hint} error={checked().errors[field]} showError={tried() || form[field] !== ""} testid={id}>
      {(aria) => (
        <input
          id={aria.id}
          aria-invalid={aria["aria-invalid"]}
          aria-describedby={aria["aria-describedby"]}
          type="text"
          inputmode="numeric"
          autocomplete="off"
          value={form[field]}
          data-testid={`${id}-input`}
          onInput={(e) => setForm(field, e.currentTarget.value)}
        />
      )}
    </Field>
  );

  return (
    <section class="card" aria-labelledby="host-title" data-testid="host-section">
      <h2 id="host-title">Host</h2>
      <Show when={!facts.error} fallback={<p class="form-error" data-testid="host-error">{errorDetail(facts.error)}</p>}>
        <Show when={facts.latest} fallback={<p aria-live="polite">Loading…</p>}>
          {(h) => (
            <dl class="facts facts-wide">
              <div>
                <dt>Free disk</dt>
                <dd class="host-usage" data-testid="host-disk">
                  <span>{diskUsage(h().disk).text}</span>
                  <Show when={diskUsage(h().disk).usedPercent !== null}>
                    <span class="usage-bar" role="img" aria-label={`${diskUsage(h().disk).usedPercent}% of the disk used`}>
                      <span style={{ width: `${diskUsage(h().disk).usedPercent}%` }} />
                    </span>
                  </Show>
                </dd>
              </div>
              <div>
                <dt>macOS VMs running</dt>
                <dd data-testid="host-macos-vms">{macosVmsLabel(h().macos_vms)}</dd>
              </div>
              <div>
                <dt>OCI cache</dt>
                <dd data-testid="host-oci-cache">
                  {formatBytes(h().caches.oci_bytes)} · {h().caches.oci_images} {h().caches.oci_images === 1 ? "image" : "images"}
                </dd>
              </div>
              <div>
                <dt>IPSW cache</dt>
                <dd data-testid="host-ipsw-cache">
                  {formatBytes(h().caches.ipsw_bytes)} · {h().caches.ipsw_files} {h().caches.ipsw_files === 1 ? "file" : "files"}
                </dd>
              </div>
              <div>
                <dt>System</dt>
                <dd data-testid="host-os">{osText(h().os)}</dd>
              </div>
              <div>
                <dt>Cores · memory</dt>
                <dd data-testid="host-size">
                  {h().cpu_cores} cores · {h().memory_gb} GB
                </dd>
              </div>
              <div>
                <dt>Tart</dt>
                <dd data-testid="host-tart">{h().tart.available ? h().tart.version : "not available"}</dd>
              </div>
              <div>
                <dt>Tart's home</dt>
                <dd class="mono break">{h().tart_home}</dd>
              </div>
            </dl>
          )}
        </Show>
      </Show>
      <div class="failure-actions">
        <button type="button" class="button" aria-expanded={open()} data-testid="prune-open" onClick={() => setOpen(!open())}>
          <Icon name="trash" />
          <span>Prune…</span>
        </button>
        <button type="button" class="button" data-testid="host-refresh" onClick={() => void refetch()} disabled={facts.loading}>
          <Icon name="retry" />
          <span>Refresh</span>
        </button>
      </div>
      <Show when={open()}>
        <form class="prune-form" data-testid="prune-form" novalidate onSubmit={(e) => void submit(e)}>
          <Field id="prune-entries" label="Prune" error={null} showError={false} testid="prune-entries">
            {(aria) => (
              <select id={aria.id} aria-describedby={aria["aria-describedby"]} value={form.entries} data-testid="prune-entries-select" onChange={(e) => setForm("entries", e.currentTarget.value as PruneForm["entries"])}>
                <option value="caches" selected={form.entries === "caches"}>OCI and IPSW caches</option>
                <option value="vms" selected={form.entries === "vms"}>Local VMs (not running)</option>
              </select>
            )}
          </Field>
          {numberField("olderThan", "prune-older-than", "Older than (days)", "unused that long; empty: any age")}
          {numberField("spaceBudget", "prune-space-budget", "Space budget (GB)", "keeps the newest; empty: none")}
          <Show when={form.entries === "vms"}>
            <p class="form-error" data-testid="prune-vms-warning">This deletes local VMs that are not running, with their disks.</p>
          </Show>
          <CommandPreview lines={[pruneCommand(form)]} testid="prune-command" />
          <FormError message={(tried() ? checked().errors.criteria : undefined) ?? error()} testid="prune-error" />
          <div class="dialog-actions">
            <button type="submit" class="button danger" disabled={busy() || (!!task() && !finished())} data-testid="prune-submit">
              {task() && !finished() ? "Pruning…" : "Prune"}
            </button>
          </div>
        </form>
      </Show>
      <Show when={outcome()}>
        {(t) => (
          <div class="prune-result" role="status" data-testid="prune-result" data-status={t().status}>
            <Show when={t().status === "completed"} fallback={<p class="form-error">Prune failed: {explainFailure(t()).summary}</p>}>
              <p>{pruneSummary((t().result ?? {}) as PruneOutcome)}</p>
              <Show when={((t().result as PruneOutcome | null)?.removed ?? []).length > 0}>
                <ul data-testid="prune-removed">
                  <For each={(t().result as PruneOutcome).removed}>
                    {(entry) => (
                      <li>
                        <span class="mono break">{entry.name}</span> <span class="muted small">{formatBytes(entry.bytes)}</span>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}
