/** Browser entry: mounts the app. Everything else starts inside <App>'s providers. */
import { render } from "solid-js/web";
import { App } from "./app.tsx";

const root = document.getElementById("root");
if (root) render(() => <App />, root);
