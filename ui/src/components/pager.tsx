/** Previous/next paging for a section; hidden when everything fits on one page. */
import { Show } from "solid-js";
import type { Page } from "../stores/vms.ts";

export function Pager(props: { page: Page<unknown>; label: string; onPage: (page: number) => void }) {
  return (
    <Show when={props.page.pages > 1}>
      <nav class="pager" aria-label={`${props.label} pages`} data-testid="pager">
        <button type="button" class="button small" disabled={props.page.page === 0} data-testid="pager-prev" onClick={() => props.onPage(props.page.page - 1)}>
          Previous
        </button>
        <span aria-live="polite">
          {props.page.first}–{props.page.last} of {props.page.total}
        </span>
        <button
          type="button"
          class="button small"
          disabled={props.page.page >= props.page.pages - 1}
          data-testid="pager-next"
          onClick={() => props.onPage(props.page.page + 1)}
        >
          Next
        </button>
      </nav>
    </Show>
  );
}
