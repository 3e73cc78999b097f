/**
 * The tart command lines a dialog will run, updated as its fields change, with a button that
 * copies them (joined with `&&`, so each runs only when the one before succeeded). The lines
 * come from ui/src/lib/command-preview.ts, which builds them with the server's argv builders.
 */
import { createSignal, For, onCleanup } from "solid-js";
import { copyText as copyToClipboard } from "../lib/browser.ts";
import { copyText } from "../lib/command-preview.ts";
import { Icon } from "./icons.tsx";

const COPIED_MS = 2000;

export function CommandPreview(props: { lines: string[]; testid: string }) {
  const [copied, setCopied] = createSignal<"yes" | "failed" | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const copy = async () => {
    try {
      await copyToClipboard(copyText(props.lines));
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
    clearTimeout(timer);
    timer = setTimeout(() => setCopied(null), COPIED_MS);
  };
  return (
    <div class="command-preview" data-testid={props.testid}>
      <div class="command-preview-head">
        <span class="muted small" id={`${props.testid}-label`}>
          Runs
        </span>
        <button
          type="button"
          class="button small"
          aria-label={copied() === "yes" ? "Copied the tart commands" : "Copy as tart commands"}
          data-testid={`${props.testid}-copy`}
          onClick={() => void copy()}
        >
          <Icon name="copy" />
          <span>{copied() === "yes" ? "Copied" : copied() === "failed" ? "Select to copy" : "Copy"}</span>
        </button>
      </div>
      <pre class="command-preview-text" aria-labelledby={`${props.testid}-label`} aria-live="polite" data-testid={`${props.testid}-text`}>
        <For each={props.lines}>{(line) => <code class="command-line">{line}</code>}</For>
      </pre>
    </div>
  );
}
