/**
 * Create a VM on an Orchard cluster: name, image, CPU, memory (GB, as the local Create dialog),
 * and an optional startup script whose output becomes the task's log. "Recreate" opens it
 * filled in from a stopped VM: Orchard cannot run a stopped VM again, so the old one is deleted
 * and a new one created under the same name.
 */
import { createSignal } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { ClusterVm } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { Dialog } from "./dialog.tsx";
import { Field } from "./field.tsx";
import { FormFooter } from "./form-footer.tsx";
import { TextField } from "./text-field.tsx";

const NAME = /^[A-Za-z0-9:_.-]{1,63}$/;

export function ClusterVmDialog(props: { cluster: string; recreate?: ClusterVm; onClose: () => void; onDone: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const from = props.recreate;
  const [name, setName] = createSignal(from?.name ?? "");
  const [image, setImage] = createSignal(from?.image ?? "ghcr.io/cirruslabs/macos-sequoia-base:latest");
  const [cpu, setCpu] = createSignal(from?.cpu ? String(from.cpu) : "4");
  const [memory, setMemory] = createSignal(from?.memory_mib ? String(Math.round(from.memory_mib / 1024)) : "8");
  const [script, setScript] = createSignal("");
  const [touched, setTouched] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const nameError = () => (NAME.test(name()) ? null : "1 to 63 letters, digits, ':', '-', '_' or '.'");
  const imageError = () => (image().trim() ? null : "The image to run, e.g. ghcr.io/cirruslabs/macos-sequoia-base:latest");
  const numberError = (text: string, max: number) => (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= max ? null : `A whole number from 1 to ${max}`);

  const submit = async (event: Event) => {
    event.preventDefault();
    setTouched(true);
    const api = session.api();
    if (!api || nameError() || imageError() || numberError(cpu(), 64) || numberError(memory(), 512)) return;
    setBusy(true);
    setError(null);
    try {
      if (from) await tasks.run(() => api.deleteClusterVm(props.cluster, from.name), { quiet: true });
      await tasks.run(
        () => api.createClusterVm(props.cluster, { name: name(), image: image().trim(), cpu: Number(cpu()), memory: Number(memory()), startup_script: script() || null }),
        { quiet: true },
      );
      props.onDone();
    } catch (err) {
      setError(errorDetail(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={from ? `Recreate ${from.name} on ${props.cluster}` : `Create a VM on ${props.cluster}`} testid="cluster-vm" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} novalidate>
        <TextField id="cvm-name" label="Name" testid="cvm-name" value={name()} error={nameError()} showError={touched()} onInput={setName} onBlur={() => undefined} />
        <Field id="cvm-image" label="Image" error={imageError()} showError={touched()} testid="cvm-image">
          {(aria) => <input id={aria.id} aria-invalid={aria["aria-invalid"]} type="text" autocomplete="off" spellcheck={false} value={image()} data-testid="cvm-image-input" onInput={(e) => setImage(e.currentTarget.value)} />}
        </Field>
        <div class="field-row">
          <Field id="cvm-cpu" label="CPU cores" error={numberError(cpu(), 64)} showError={touched()} testid="cvm-cpu">
            {(aria) => <input id={aria.id} aria-invalid={aria["aria-invalid"]} type="text" inputmode="numeric" value={cpu()} data-testid="cvm-cpu-input" onInput={(e) => setCpu(e.currentTarget.value)} />}
          </Field>
          <Field id="cvm-memory" label="Memory (GB)" error={numberError(memory(), 512)} showError={touched()} testid="cvm-memory">
            {(aria) => <input id={aria.id} aria-invalid={aria["aria-invalid"]} type="text" inputmode="numeric" value={memory()} data-testid="cvm-memory-input" onInput={(e) => setMemory(e.currentTarget.value)} />}
          </Field>
        </div>
        <Field id="cvm-script" label="Startup script (optional)" hint="Runs over SSH once the VM boots; its output is the task's log" error={null} showError={false} testid="cvm-script">
          {(aria) => <textarea id={aria.id} rows={3} spellcheck={false} value={script()} data-testid="cvm-script-input" onInput={(e) => setScript(e.currentTarget.value)} />}
        </Field>
        <FormFooter error={error()} errorTestid="cluster-vm-error" submitLabel={busy() ? "Sending…" : from ? "Recreate" : "Create"} submitTestid="cluster-vm-submit" disabled={busy()} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
