/**
 * The top bar: app name, the pages (VMs, Orchard clusters, operations, settings), and a running-operations count on "Operations". On a
 * phone the links show only their icons; the words stay in the DOM (visually hidden) as their
 * accessible names, and the title gives sighted users the same words as a tooltip.
 */
import { For, Show } from "solid-js";
import { useRouter } from "../context/router.tsx";
import { useTasks } from "../context/tasks.tsx";
import type { PageId } from "../lib/routes.ts";
import { unfinishedIds } from "../stores/tasks.ts";
import { Icon, type IconName } from "./icons.tsx";

const NAV: { id: PageId; label: string; icon: IconName }[] = [
  { id: "vms", label: "VMs", icon: "server" },
  { id: "clusters", label: "Clusters", icon: "layers" },
  { id: "operations", label: "Operations", icon: "activity" },
  { id: "settings", label: "Settings", icon: "settings" },
];

export function Header() {
  const router = useRouter();
  const tasks = useTasks();
  const running = () => unfinishedIds(tasks.state).length;
  return (
    <header class="app-header">
      <a class="brand" href="/" onClick={(e) => { e.preventDefault(); router.navigate("vms"); }}>
        <Logo />
        <span>de taartenfabriek</span>
      </a>
      <nav aria-label="Main">
        <ul class="nav">
          <For each={NAV}>
            {(item) => (
              <li>
                <a
                  href={item.id === "vms" ? "/" : `/${item.id}`}
                  class="nav-link"
                  title={item.label}
                  aria-current={router.page() === item.id ? "page" : undefined}
                  data-testid={`nav-${item.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    router.navigate(item.id);
                  }}
                >
                  <Icon name={item.icon} />
                  <span>{item.label}</span>
                  <Show when={item.id === "operations" && running() > 0}>
                    <span class="count" aria-label={`${running()} running`}>{running()}</span>
                  </Show>
                </a>
              </li>
            )}
          </For>
        </ul>
      </nav>
    </header>
  );
}

/** A small cake, drawn inline. */
function Logo() {
  return (
    <svg class="logo" width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
      <path d="M4 18h24v10H4z" fill="var(--accent)" />
      <path d="M4 18c2 3 4 3 6 0s4 3 6 0 4 3 6 0 4 3 6 0" fill="none" stroke="var(--bg)" stroke-width="2" />
      <path d="M7 12h18v6H7z" fill="var(--accent-2)" />
      <path d="M16 4v6" stroke="var(--fg)" stroke-width="2" stroke-linecap="round" />
    </svg>
  );
}
