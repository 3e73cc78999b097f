/**
 * Add an Orchard cluster: name, controller address, service account name and token. An HTTPS
 * controller is looked at first (POST /api/clusters/inspect); when the system does not trust its
 * certificate, the dialog shows the certificate's SHA-256 fingerprint and asks the user to
 * confirm it matches the one the controller printed — trust on first use, as `orchard context
 * create` does — before the cluster is added with that fingerprint pinned.
 */
import { createSignal, Show } from "solid-js";
import { errorDetail } from "../api/client.ts";
import type { Cluster, ClusterInspect } from "../api/types.ts";
import { useSession } from "../context/session.tsx";
import { Dialog } from "./dialog.tsx";
import { Field } from "./field.tsx";
import { FormFooter } from "./form-footer.tsx";
import { TextField } from "./text-field.tsx";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function AddClusterDialog(props: { onClose: () => void; onAdded: (cluster: Cluster) => void }) {
  const session = useSession();
  const [name, setName] = createSignal("");
  const [url, setUrl] = createSignal("");
  const [account, setAccount] = createSignal("");
  const [token, setToken] = createSignal("");
  const [touched, setTouched] = createSignal(false);
  const [seen, setSeen] = createSignal<ClusterInspect | null>(null);
  const [trusted, setTrusted] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const nameError = () => (NAME.test(name()) ? null : "1 to 63 letters, digits, '.', '_' or '-'");
  const urlError = () => (url().trim() ? null : "The controller's address, e.g. orchard.lan or https://10.0.0.5:6120");

  const submit = async (event: Event) => {
    event.preventDefault();
    setTouched(true);
    const api = session.api();
    if (!api || nameError() || urlError()) return;
    setBusy(true);
    setError(null);
    try {
      let look = seen();
      if (!look || look.url !== url().trim()) {
        look = await api.inspectCluster(url().trim());
        setSeen(look);
        setTrusted(false);
      }
      // A certificate no system root vouches for: the user compares the fingerprint first.
      if (look.tls && !look.trusted_by_system && !trusted()) return;
      const cluster = await api.addCluster({
        name: name(),
        url: url().trim(),
        service_account_name: account() || null,
        service_account_token: token() || null,
        certificate_fingerprint: look.tls && !look.trusted_by_system ? look.certificate_fingerprint : null,
      });
      props.onAdded(cluster);
    } catch (err) {
      session.reportError(err);
      setError(errorDetail(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Add an Orchard cluster" testid="add-cluster" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} novalidate>
        <TextField id="cluster-name" label="Name" testid="cluster-name" placeholder="farm" value={name()} error={nameError()} showError={touched()} onInput={setName} onBlur={() => undefined} />
        <Field id="cluster-url" label="Controller address" hint="https and port 6120 are assumed, as the orchard CLI does" error={urlError()} showError={touched()} testid="cluster-url">
          {(aria) => (
            <input id={aria.id} aria-invalid={aria["aria-invalid"]} aria-describedby={aria["aria-describedby"]} type="text" autocomplete="off" spellcheck={false} placeholder="orchard.lan:6120" value={url()} data-testid="cluster-url-input" onInput={(e) => setUrl(e.currentTarget.value)} />
          )}
        </Field>
        <Field id="cluster-account" label="Service account" hint="Leave both empty for `orchard dev`" error={null} showError={false} testid="cluster-account">
          {(aria) => <input id={aria.id} type="text" autocomplete="off" spellcheck={false} value={account()} data-testid="cluster-account-input" onInput={(e) => setAccount(e.currentTarget.value)} />}
        </Field>
        <Field id="cluster-token" label="Token" error={null} showError={false} testid="cluster-token">
          {(aria) => <input id={aria.id} type="password" autocomplete="off" value={token()} data-testid="cluster-token-input" onInput={(e) => setToken(e.currentTarget.value)} />}
        </Field>
        <Show when={seen()?.tls && !seen()?.trusted_by_system ? seen() : null}>
          {(look) => (
            <div class="notice" data-testid="cluster-fingerprint-box">
              <p>
                This controller's certificate ({look().certificate_subject}) is not trusted by this system. Compare its SHA-256 fingerprint with the one the controller printed when it first started:
              </p>
              <p>
                <code class="fingerprint" data-testid="cluster-fingerprint">{look().certificate_fingerprint}</code>
              </p>
              <label class="check">
                <input type="checkbox" checked={trusted()} data-testid="cluster-trust" onChange={(e) => setTrusted(e.currentTarget.checked)} /> The fingerprints match: trust this certificate
              </label>
            </div>
          )}
        </Show>
        <FormFooter error={error()} errorTestid="add-cluster-error" submitLabel={busy() ? "Checking…" : "Add cluster"} submitTestid="add-cluster-submit" disabled={busy()} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
