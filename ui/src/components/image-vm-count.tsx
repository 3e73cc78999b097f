/**
 * "2 VMs" on an image's card: how many local VMs this server made from the image's repository
 * (the catalogue's `local_vms`, which follows clones of clones back to the image). Every card
 * shares one catalogue request, made again when the list of local VMs changes; nothing is shown
 * while it is out, when it fails, or when no VM came from the image.
 *
 * Mount it in an image card with the image's name: `<ImageVmCount reference={props.vm.name} />`.
 */
import { createEffect, createSignal, on, Show } from "solid-js";
import type { VmImage } from "../api/types.ts";
import { useInventory } from "../context/inventory.tsx";
import { useSession } from "../context/session.tsx";
import { localVmsFor, vmCountLabel } from "../lib/catalogue.ts";

const [images, setImages] = createSignal<readonly VmImage[]>([]);
let askedFor: string | null = null;

export function ImageVmCount(props: { reference: string }) {
  const session = useSession();
  const inventory = useInventory();
  const localNames = () =>
    inventory.state.vms
      .filter((vm) => !vm.name.includes("/"))
      .map((vm) => vm.name)
      .join("\n");
  createEffect(
    on(localNames, (key) => {
      const api = session.api();
      if (!api || askedFor === key) return;
      askedFor = key;
      api.availableImages().then(setImages, () => {
        askedFor = null; // try again with the next change
      });
    }),
  );
  const vms = () => localVmsFor(images(), props.reference);
  return (
    <Show when={vms().length > 0}>
      <span class="badge badge-image" data-testid="image-vm-count" title={`Local VMs made from it: ${vms().join(", ")}`}>
        {vmCountLabel(vms().length)}
      </span>
    </Show>
  );
}
