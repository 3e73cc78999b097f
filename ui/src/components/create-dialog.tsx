/**
 * Create a working VM from an image (or another VM) with its own CPU, memory and disk, or from
 * scratch: macOS installed from an IPSW (`latest`, a URL or a file on this Mac) or an empty
 * Linux VM, with the disk's size and format (`tart create`). Before it is sent, the dialog warns
 * when the VM would not fit the free space or the host's limits (fit-warnings.tsx). Limits
 * are checked as the user types: the server's bounds, the host's cores and memory (from health),
 * the source's disk (tart can only grow one) and tart's minimum for a macOS guest. The defaults come from the source VM where it
 * reports them (else 4 cores / 8 GB / 50 GB), kept within the host. When the server still refuses,
 * the dialog stays open with the values, and the detail sits next to its field or the form.
 */
import { createMemo, createSignal, For, Show, type JSX } from "solid-js";
import { createStore } from "solid-js/store";
import { useInventory } from "../context/inventory.tsx";
import { useSession } from "../context/session.tsx";
import { useTasks } from "../context/tasks.tsx";
import { createDialogAction } from "../lib/dialog-action.ts";
import { gigabytes } from "../lib/vm-actions.ts";
import {
  fieldOfDetail,
  hasErrors,
  LIMITS,
  minimumDiskGb,
  parseWholeNumber,
  rangeHint,
  suggestVmName,
  validateCreateForm,
  type CreateForm,
} from "../lib/validate.ts";
import { createSources, isOci, vmNames } from "../stores/vms.ts";
import { createCommands, scratchCommands } from "../lib/command-preview.ts";
import { fitWarnings } from "../lib/fit-warnings.ts";
import { FitWarnings, useHostFacts } from "./fit-warnings.tsx";
import { CommandPreview } from "./command-preview.tsx";
import { Dialog } from "./dialog.tsx";
import { Field, type FieldAria } from "./field.tsx";
import { NumberInput } from "./number-input.tsx";
import { FormFooter } from "./form-footer.tsx";
import { TextField } from "./text-field.tsx";

/** About what an IPSW download takes (macOS 15 and 26 restore images are 15 to 20 GB). */
const IPSW_BYTES = 18e9;

export function CreateDialog(props: { source?: string; onClose: () => void }) {
  const session = useSession();
  const tasks = useTasks();
  const inventory = useInventory();
  const names = createMemo(() => vmNames(inventory.state.vms));
  const sources = createMemo(() => createSources(inventory.state.vms));
  const host = () => session.state.health?.host ?? null;
  const initialSource = props.source ?? sources()[0]?.name ?? "";
  const sourceVm = inventory.state.vms.find((vm) => vm.name === initialSource);
  const within = (value: number, max: number | undefined) => (max ? Math.min(value, max) : value);

  const [form, setForm] = createStore<CreateForm>({
    name: initialSource ? suggestVmName(initialSource, names()) : "",
    source: initialSource,
    cpu: String(within(sourceVm?.cpu ?? 4, host()?.cpu_cores)),
    memory: String(within(gigabytes(sourceVm?.memory) ?? 8, host()?.memory_gb)),
    disk: String(Math.max(minimumDiskGb(sourceVm?.disk_size) ?? 50, 1)),
  });
  const [touched, setTouched] = createStore<Partial<Record<keyof CreateForm, boolean>>>({});
  // From scratch: no source; macOS from an IPSW or an empty Linux VM (tart create).
  const [mode, setMode] = createSignal<"image" | "scratch">(sources().length ? "image" : "scratch");
  const [scratch, setScratch] = createStore({ os: "darwin" as "darwin" | "linux", ipsw: "latest", diskFormat: "raw" as "raw" | "asif" });
  const scratchMode = () => mode() === "scratch";
  const hostFacts = useHostFacts();
  const [submitted, setSubmitted] = createSignal(false);
  const action = createDialogAction(() => props.onClose());
  const source = () => inventory.state.vms.find((vm) => vm.name === form.source);
  const sourceDiskGb = () => minimumDiskGb(source()?.disk_size);
  const errors = createMemo(() => {
    if (!scratchMode()) return validateCreateForm(form, { existing: names(), host: host(), sourceDiskGb: sourceDiskGb(), sourceOs: source()?.os ?? null });
    const base = validateCreateForm({ ...form, source: "scratch" }, { existing: names(), host: host(), sourceDiskGb: null, sourceOs: scratch.os });
    // Empty cores or memory: tart's own (4 cores; 4 GB for Linux, the IPSW's minimum for macOS).
    if (form.cpu.trim() === "") delete base.cpu;
    if (form.memory.trim() === "") delete base.memory;
    const ipsw = scratch.ipsw.trim();
    const ipswError =
      scratch.os === "darwin" && !(ipsw === "latest" || /^https?:\/\/\S+$/.test(ipsw) || ipsw.startsWith("/"))
        ? 'Enter "latest", an https URL of an .ipsw file, or the path of one on this Mac.'
        : null;
    return { ...base, source: ipswError };
  });
  const warnings = createMemo(() => {
    const disk = parseWholeNumber(form.disk);
    const macos = scratchMode() ? scratch.os === "darwin" : source()?.os === "darwin";
    // An IPSW is some 15-20 GB; tart keeps the last one it fetched.
    const ipswBytes = scratchMode() && scratch.os === "darwin" && !(scratch.ipsw.trim() === "latest" && (hostFacts()?.caches.ipsw_files ?? 0) > 0) ? IPSW_BYTES : null;
    return fitWarnings(hostFacts(), { diskGb: disk, writesBytes: ipswBytes, cpu: parseWholeNumber(form.cpu), memoryGb: parseWholeNumber(form.memory), macos });
  });
  const show = (field: keyof CreateForm) => submitted() || !!touched[field];
  // A server refusal about one field is shown under that field (until the next try).
  const serverField = () => (action.error() ? fieldOfDetail(action.error()!) : null);
  const errorOf = (field: keyof CreateForm) => errors()[field] ?? (serverField() === field ? action.error() : null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    const api = session.api();
    if (hasErrors(errors()) || !api) return;
    if (scratchMode()) {
      await action.run(() =>
        tasks.run(
          () =>
            api.createVmFromScratch({
              name: form.name,
              ...(scratch.os === "darwin" ? { from_ipsw: scratch.ipsw.trim() } : { linux: true }),
              disk_size: parseWholeNumber(form.disk) ?? 0,
              ...(scratch.diskFormat === "asif" ? { disk_format: "asif" as const } : {}),
              ...(form.cpu.trim() ? { cpu: parseWholeNumber(form.cpu) ?? 0 } : {}),
              ...(form.memory.trim() ? { memory: parseWholeNumber(form.memory) ?? 0 } : {}),
            }),
          { vmName: form.name, quiet: true },
        ),
      );
      return;
    }
    await action.run(() =>
      tasks.run(
        () =>
          api.createVm({
            name: form.name,
            source_vm: form.source,
            cpu: parseWholeNumber(form.cpu) ?? 0,
            memory: parseWholeNumber(form.memory) ?? 0,
            disk_size: parseWholeNumber(form.disk) ?? 0,
          }),
        { vmName: form.name, quiet: true },
      ),
    );
  };

  const numberInput =
    (field: "cpu" | "memory" | "disk", min: number, max: () => number) =>
    (aria: FieldAria): JSX.Element => (
      <NumberInput
        aria={aria}
        value={form[field]}
        min={min}
        max={max()}
        testid={`create-${field}-input`}
        onInput={(value) => setForm(field, value)}
        onBlur={() => setTouched(field, true)}
      />
    );

  const cpuMax = () => Math.min(LIMITS.cpu.max, host()?.cpu_cores ?? LIMITS.cpu.max);
  const memoryMax = () => Math.min(LIMITS.memory.max, host()?.memory_gb ?? LIMITS.memory.max);
  const diskMin = () => Math.max(LIMITS.disk.min, (scratchMode() ? null : sourceDiskGb()) ?? LIMITS.disk.min);

  return (
    <Dialog title="Create VM" testid="dialog-create" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} novalidate class="form-grid" data-testid="create-form">
        <div class="mode-switch" role="radiogroup" aria-label="Create from">
          <label class="checkbox">
            <input type="radio" name="create-mode" checked={!scratchMode()} disabled={!sources().length} data-testid="create-mode-image" onChange={() => setMode("image")} />
            From an image or VM
          </label>
          <label class="checkbox">
            <input type="radio" name="create-mode" checked={scratchMode()} data-testid="create-mode-scratch" onChange={() => setMode("scratch")} />
            From scratch
          </label>
        </div>
        <Show when={scratchMode()}>
          <div class="field-row">
            <div class="field">
              <label for="create-os">Operating system</label>
              <select id="create-os" data-testid="create-os" onChange={(e) => setScratch("os", e.currentTarget.value as "darwin" | "linux")}>
                <option value="darwin" selected={scratch.os === "darwin"}>macOS, installed from an IPSW</option>
                <option value="linux" selected={scratch.os === "linux"}>Linux (an empty VM)</option>
              </select>
            </div>
            <div class="field">
              <label for="create-disk-format">Disk format</label>
              <select id="create-disk-format" data-testid="create-disk-format" onChange={(e) => setScratch("diskFormat", e.currentTarget.value as "raw" | "asif")}>
                <option value="raw" selected={scratch.diskFormat === "raw"}>raw</option>
                <option value="asif" selected={scratch.diskFormat === "asif"}>ASIF (macOS 26 hosts)</option>
              </select>
            </div>
          </div>
          <Show when={scratch.os === "darwin"}>
            <p class="hint" data-testid="create-scratch-hint">Leave CPU cores or memory empty for tart's own: 4 cores, and the memory the IPSW asks for.</p>
            <TextField
              id="create-ipsw"
              label="IPSW"
              hint='"latest" (the newest macOS this Mac supports), an https URL, or the path of an .ipsw file; the install takes a while'
              error={errorOf("source")}
              showError={submitted() || scratch.ipsw !== "latest"}
              testid="create-ipsw"
              value={scratch.ipsw}
              onInput={(value) => setScratch("ipsw", value)}
              onBlur={() => undefined}
            />
          </Show>
        </Show>
        <Show when={!scratchMode()}>
        <Field id="create-source" label="From image or VM" error={errorOf("source")} showError={show("source") || serverField() === "source"} testid="create-source">
          {(aria) => (
            <select
              id={aria.id}
              aria-invalid={aria["aria-invalid"]}
              aria-describedby={aria["aria-describedby"]}
              value={form.source}
              data-testid="create-source-select"
              onChange={(e) => setForm("source", e.currentTarget.value)}
            >
              <For each={sources()}>
                {(vm) => (
                  // `selected` per option: the select's value is set before <For> adds its options.
                  <option value={vm.name} selected={vm.name === form.source}>
                    {vm.name}
                    {isOci(vm) ? " (image)" : ""}
                  </option>
                )}
              </For>
            </select>
          )}
        </Field>
        </Show>
        <TextField
          id="create-name"
          label="Name"
          error={errorOf("name")}
          showError={show("name") || form.name !== "" || serverField() === "name"}
          testid="create-name"
          value={form.name}
          onInput={(value) => setForm("name", value)}
          onBlur={() => setTouched("name", true)}
        />
        <div class="field-row">
          <Field id="create-cpu" label="CPU cores" hint={rangeHint(LIMITS.cpu.min, cpuMax())} error={errorOf("cpu")} showError={show("cpu") || form.cpu !== "" || serverField() === "cpu"} testid="create-cpu">
            {numberInput("cpu", LIMITS.cpu.min, cpuMax)}
          </Field>
          <Field id="create-memory" label="Memory (GB)" hint={rangeHint(LIMITS.memory.min, memoryMax())} error={errorOf("memory")} showError={show("memory") || form.memory !== "" || serverField() === "memory"} testid="create-memory">
            {numberInput("memory", LIMITS.memory.min, memoryMax)}
          </Field>
          <Field id="create-disk" label="Disk (GB)" hint={rangeHint(diskMin(), LIMITS.disk.max)} error={errorOf("disk")} showError={show("disk") || form.disk !== "" || serverField() === "disk"} testid="create-disk">
            {numberInput("disk", LIMITS.disk.min, () => LIMITS.disk.max)}
          </Field>
        </div>
        <FitWarnings warnings={warnings()} testid="create-fit" />
        <CommandPreview lines={scratchMode() ? scratchCommands({ ...form, ...scratch }) : createCommands(form)} testid="create-command" />
        <FormFooter
          error={serverField() ? null : action.error()}
          errorTestid="create-error"
          submitLabel="Create"
          submitTestid="create-submit"
          disabled={action.busy()}
          onCancel={() => props.onClose()}
        />
      </form>
    </Dialog>
  );
}
