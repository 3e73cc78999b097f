/**
 * A modal dialog on the native <dialog> element: showModal() makes the page behind it inert,
 * and on top of that Tab and Shift+Tab wrap inside the dialog (so focus never escapes to the
 * browser chrome), Escape and the close button call onClose, and focus returns to the element
 * that opened it. The parent decides whether it is open by rendering it or not.
 */
import { onCleanup, onMount, Show, type JSX } from "solid-js";
import { Icon } from "./icons.tsx";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog(props: {
  title: string;
  testid: string;
  onClose: () => void;
  children: JSX.Element;
  footer?: JSX.Element;
  wide?: boolean;
}) {
  let el!: HTMLDialogElement;
  const opener = document.activeElement as HTMLElement | null;
  const titleId = `dlg-${props.testid}`;

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      props.onClose();
      return;
    }
    if (e.key !== "Tab") return;
    const items = Array.from(el.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((n) => n.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && (document.activeElement === first || !el.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  onMount(() => {
    el.showModal();
    // Focus the first field rather than the close button: that is where typing starts.
    const target =
      el.querySelector<HTMLElement>("[data-autofocus]") ??
      el.querySelector(".dialog-body")?.querySelector<HTMLElement>(FOCUSABLE) ??
      el.querySelector<HTMLElement>(FOCUSABLE);
    target?.focus();
  });
  onCleanup(() => {
    if (el.open) el.close();
    opener?.focus?.();
  });

  return (
    <dialog
      ref={el}
      class="dialog"
      classList={{ wide: props.wide }}
      data-testid={props.testid}
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        // Escape on a native dialog: keep the parent in charge of closing.
        e.preventDefault();
        props.onClose();
      }}
      onClick={(e) => {
        if (e.target === el) props.onClose(); // a click on the backdrop
      }}
    >
      <div class="dialog-inner">
        <header class="dialog-header">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" class="icon-button" aria-label="Close" data-testid="dialog-close" onClick={() => props.onClose()}>
            <Icon name="x" />
          </button>
        </header>
        <div class="dialog-body">{props.children}</div>
        <Show when={props.footer}>
          <footer class="dialog-footer">{props.footer}</footer>
        </Show>
      </div>
    </dialog>
  );
}
