/**
 * Paging for a section: Previous / Next, the page number as a field to jump to (type a number,
 * press Enter), and the page size. Shown once the list is longer than the smallest page size.
 */
import { For, Show } from "solid-js";
import { PAGE_SIZE_CHOICES } from "../stores/prefs.ts";
import { pageFromInput, type Page } from "../stores/vms.ts";

export function Pager(props: {
  page: Page<unknown>;
  label: string;
  size: number;
  onPage: (page: number) => void;
  onSize: (size: number) => void;
}) {
  const jump = (input: HTMLInputElement) => {
    const target = pageFromInput(input.value, props.page.pages);
    if (target !== null) props.onPage(target);
    input.value = String((target ?? props.page.page) + 1);
  };
  return (
    <Show when={props.page.total > PAGE_SIZE_CHOICES[0]}>
      <nav class="pager" aria-label={`${props.label} pages`} data-testid="pager">
        <button type="button" class="button small" disabled={props.page.page === 0} data-testid="pager-prev" onClick={() => props.onPage(props.page.page - 1)}>
          Previous
        </button>
        <label class="pager-jump">
          <span>Page</span>
          <input
            type="text"
            inputmode="numeric"
            size={3}
            value={props.page.page + 1}
            aria-label={`${props.label}: page number, of ${props.page.pages}`}
            data-testid="pager-input"
            onKeyDown={(e) => {
              if (e.key === "Enter") jump(e.currentTarget);
            }}
            onChange={(e) => jump(e.currentTarget)}
          />
          <span>of {props.page.pages}</span>
        </label>
        <button
          type="button"
          class="button small"
          disabled={props.page.page >= props.page.pages - 1}
          data-testid="pager-next"
          onClick={() => props.onPage(props.page.page + 1)}
        >
          Next
        </button>
        <span class="muted" aria-live="polite" data-testid="pager-range">
          {props.page.first}–{props.page.last} of {props.page.total}
        </span>
        <label class="pager-size">
          <span>Per page</span>
          <select value={props.size} data-testid="pager-size" onChange={(e) => props.onSize(Number(e.currentTarget.value))}>
            <For each={PAGE_SIZE_CHOICES}>{(n) => <option value={n}>{n}</option>}</For>
          </select>
        </label>
      </nav>
    </Show>
  );
}
