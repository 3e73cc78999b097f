/**
 * A three-page router on the History API: "/" (VMs), "/operations", "/settings". The server
 * serves the app for any non-API path, so these URLs survive a reload and can be bookmarked.
 */
import { createContext, createSignal, onCleanup, useContext, type Accessor, type JSX } from "solid-js";
import { PAGE_PATHS, pageFromPath, type PageId } from "../lib/routes.ts";

interface RouterValue {
  page: Accessor<PageId>;
  navigate: (page: PageId) => void;
}

const RouterContext = createContext<RouterValue>();

export function RouterProvider(props: { children: JSX.Element }) {
  const [page, setPage] = createSignal<PageId>(pageFromPath(window.location.pathname));
  const onPop = () => setPage(pageFromPath(window.location.pathname));
  window.addEventListener("popstate", onPop);
  onCleanup(() => window.removeEventListener("popstate", onPop));
  const navigate = (next: PageId) => {
    if (next === page()) return;
    window.history.pushState(null, "", PAGE_PATHS[next]);
    setPage(next);
  };
  return <RouterContext.Provider value={{ page, navigate }}>{props.children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error("useRouter() outside <RouterProvider>");
  return value;
}
