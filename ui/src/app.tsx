/**
 * The app: providers (outermost first, because inner ones use outer ones: session → toasts →
 * inventory → tasks), then the sign-in screen or the shell with the current page.
 */
import { Match, Switch } from "solid-js";
import { Banners } from "./components/banners.tsx";
import { Header } from "./components/header.tsx";
import { Toasts } from "./components/toasts.tsx";
import { ClockProvider } from "./context/clock.tsx";
import { InventoryProvider } from "./context/inventory.tsx";
import { LiveEvents } from "./context/live-events.tsx";
import { RouterProvider, useRouter } from "./context/router.tsx";
import { SessionProvider, useSession } from "./context/session.tsx";
import { TasksProvider } from "./context/tasks.tsx";
import { ToastProvider } from "./context/toasts.tsx";
import { ClustersPage } from "./pages/clusters-page.tsx";
import { OperationsPage } from "./pages/operations-page.tsx";
import { SettingsPage } from "./pages/settings-page.tsx";
import { SignInPage } from "./pages/sign-in-page.tsx";
import { VmsPage } from "./pages/vms-page.tsx";
import { ConsolePage } from "./pages/console-page.tsx";
import { ShellPage } from "./pages/shell-page.tsx";
import { consolePageOf } from "./lib/console-routes.ts";

export function App() {
  return (
    <SessionProvider>
      <ClockProvider>
        <ToastProvider>
          <RouterProvider>
            <InventoryProvider>
              <TasksProvider>
                <LiveEvents />
                <Gate />
                <Toasts />
              </TasksProvider>
            </InventoryProvider>
          </RouterProvider>
        </ToastProvider>
      </ClockProvider>
    </SessionProvider>
  );
}

/** Sign-in until the server accepted the token; a first check still in flight shows the sign-in form's "Checking…". */
function Gate() {
  const session = useSession();
  return (
    <Switch>
      <Match when={session.state.auth === "signed-in" && consolePageOf(window.location.pathname)}>
        {(page) => (page().kind === "console" ? <ConsolePage name={page().name} cluster={page().cluster} /> : <ShellPage name={page().name} cluster={page().cluster} />)}
      </Match>
      <Match when={session.state.auth === "signed-in"}>
        <Shell />
      </Match>
      <Match when={session.state.auth === "checking" && session.state.online}>
        <p class="splash" data-testid="app-loading" aria-live="polite">
          Connecting…
        </p>
      </Match>
      <Match when={true}>
        <SignInPage />
      </Match>
    </Switch>
  );
}

function Shell() {
  const router = useRouter();
  return (
    <div class="shell" data-testid="app-shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <Banners />
      <main id="main" tabindex="-1">
        <Switch>
          <Match when={router.page() === "vms"}>
            <VmsPage />
          </Match>
          <Match when={router.page() === "clusters"}>
            <ClustersPage />
          </Match>
          <Match when={router.page() === "operations"}>
            <OperationsPage />
          </Match>
          <Match when={router.page() === "settings"}>
            <SettingsPage />
          </Match>
        </Switch>
      </main>
    </div>
  );
}
