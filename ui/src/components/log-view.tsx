/**
 * A scrolling log that follows new lines while the user is at the bottom and stays put when they
 * scrolled up to read. Rendered as one text node: thousands of lines stay cheap.
 */
import { createEffect, on } from "solid-js";

export function LogView(props: { lines: readonly string[]; testid: string; label: string; maxLines?: number }) {
  let el!: HTMLPreElement;
  let follow = true;
  const text = () => {
    const max = props.maxLines ?? 1000;
    const lines = props.lines.length > max ? props.lines.slice(-max) : props.lines;
    return lines.join("\n");
  };
  createEffect(
    on(text, () => {
      if (follow) el.scrollTop = el.scrollHeight;
    }),
  );
  return (
    <pre
      ref={el}
      class="log"
      tabindex="0"
      role="log"
      aria-label={props.label}
      data-testid={props.testid}
      onScroll={() => {
        follow = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
      }}
    >
      {text() || "(no output yet)"}
    </pre>
  );
}
