/**
 * The warnings a Create, Clone or Pull dialog shows before it submits, when what it makes would
 * not fit this host (lib/fit-warnings.ts). The host's facts come from GET /api/host, read when
 * the dialog opens; without them (an older server, an error) nothing is shown.
 */
import { createResource, For, Show, type Accessor } from "solid-js";
import type { HostFacts } from "../api/types.ts";
import { useSession } from "../context/session.tsx";

/** GET /api/host for a dialog: read once as it opens. */
export function useHostFacts(): Accessor<HostFacts | null> {
  const session = useSession();
  const [facts] = createResource(
    () => session.api() ?? false,
    (api) => api.host().catch(() => null),
  );
  return () => facts.latest ?? null;
}

export function FitWarnings(props: { warnings: string[]; testid: string }) {
  return (
    <Show when={props.warnings.length}>
      <ul class="fit-warnings" role="status" data-testid={props.testid}>
        <For each={props.warnings}>{(warning) => <li>{warning}</li>}</For>
      </ul>
    </Show>
  );
}
