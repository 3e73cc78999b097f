/**
 * Every cluster this server knows: Orchard's CLI contexts (read again on each look, so an
 * `orchard context create` shows without a restart) and the ones added here (clusters.json).
 * Adding one checks it first: the URL is normalised as the CLI does; an HTTPS controller whose
 * certificate the system does not trust is pinned only when the caller confirms its SHA-256
 * fingerprint (trust on first use, as `orchard context create` prompts); and the controller must
 * answer with those credentials. A name taken by a CLI context cannot be added again.
 */
import { AppError, conflict, invalid, notFound } from "../domain/errors.ts";
import { CLUSTER_NAME, CLUSTER_NAME_RULE, normalizeControllerUrl, type ClusterConfig } from "./cluster-config.ts";
import { clusterError } from "./cluster-errors.ts";
import type { ClusterHealth } from "./cluster-health.ts";
import type { ClusterInspectWire, ClusterWire } from "./cluster-wire.ts";
import { ControllerClient, OrchardFailure, type ClientOptions } from "./controller-client.ts";
import { fingerprintOf, normalFingerprint, peerCertificate, type PresentedCertificate } from "./tls-pinning.ts";

export interface ClusterStore {
  load(): ClusterConfig[];
  save(clusters: ClusterConfig[]): void;
}

export interface AddCluster {
  name: string;
  url: string;
  service_account_name?: string | null;
  service_account_token?: string | null;
  /** The fingerprint the user confirmed, for a certificate the system does not trust. */
  certificate_fingerprint?: string | null;
}

export interface DirectoryDeps {
  cliContexts: () => ClusterConfig[];
  store: ClusterStore;
  health: ClusterHealth;
  client: ClientOptions;
  probeTimeoutMs: number;
}

export class ClusterDirectory {
  private added: ClusterConfig[];
  private readonly clients = new Map<string, ControllerClient>();

  constructor(private readonly deps: DirectoryDeps) {
    this.added = deps.store.load();
  }

  all(): ClusterConfig[] {
    const cli = this.deps.cliContexts();
    const names = new Set(cli.map((cluster) => cluster.name));
    return [...cli, ...this.added.filter((cluster) => !names.has(cluster.name))];
  }

  /** The client for one cluster; 404 for an unknown name. */
  client(name: string): ControllerClient {
    const config = this.all().find((cluster) => cluster.name === name);
    if (!config) throw notFound(`No cluster named ${name}`);
    return this.clientFor(config);
  }

  /** One client per cluster, made again when its config (URL, account, certificate) changed. */
  private clientFor(config: ClusterConfig): ControllerClient {
    const name = config.name;
    const key = JSON.stringify(config);
    const cached = this.clients.get(name);
    if (cached && JSON.stringify(cached.config) === key) return cached;
    const client = new ControllerClient(config, this.deps.client);
    this.clients.set(name, client);
    return client;
  }

  async list(): Promise<ClusterWire[]> {
    return Promise.all(this.all().map((config) => this.wire(config)));
  }

  async wire(config: ClusterConfig): Promise<ClusterWire> {
    return {
      name: config.name,
      url: config.url,
      source: config.source,
      read_only: config.source === "orchard-cli",
      service_account_name: config.serviceAccountName,
      tls: config.url.startsWith("https:"),
      certificate_fingerprint: config.certificate ? fingerprintOf(config.certificate) : null,
      health: await this.deps.health.check(this.clientFor(config)),
    };
  }

  /** What a controller presents, before it is added: for the fingerprint the user compares. */
  async inspect(address: string): Promise<ClusterInspectWire> {
    const url = this.normalized(address);
    if (!url.startsWith("https:")) return { url, tls: false, certificate_fingerprint: null, certificate_subject: null, trusted_by_system: false };
    const presented = await this.presented(url);
    return { url, tls: true, certificate_fingerprint: presented.fingerprint, certificate_subject: presented.subject, trusted_by_system: presented.trustedBySystem };
  }

  async add(input: AddCluster): Promise<ClusterWire> {
    if (!CLUSTER_NAME.test(input.name)) throw invalid(`name: must be ${CLUSTER_NAME_RULE}`);
    if (this.all().some((cluster) => cluster.name === input.name)) throw conflict(`A cluster named ${input.name} already exists`);
    const url = this.normalized(input.url);
    const name = input.service_account_name || null;
    const token = input.service_account_token || null;
    if ((name === null) !== (token === null)) throw invalid("service_account_name and service_account_token go together: give both, or neither for a controller without auth");
    const certificate = url.startsWith("https:") ? await this.certificateFor(url, input.certificate_fingerprint ?? null) : null;
    const config: ClusterConfig = { name: input.name, url, source: "app", serviceAccountName: name, serviceAccountToken: token, certificate };
    const client = new ControllerClient(config, this.deps.client);
    try {
      await client.call("GET", "/controller/info");
    } catch (error) {
      if (error instanceof OrchardFailure && error.kind === "http" && error.status === 401) {
        throw new AppError("upstream_refused", `The controller at ${url} refused ${name ? `service account ${name}` : "a request without a service account"}${error.reason ? `: ${error.reason}` : " (wrong name or token)"}`);
      }
      throw clusterError(error, input.name);
    }
    this.added = [...this.added, config];
    this.deps.store.save(this.added);
    this.deps.health.forget(config.name);
    return this.wire(config);
  }

  remove(name: string): void {
    const config = this.all().find((cluster) => cluster.name === name);
    if (!config) throw notFound(`No cluster named ${name}`);
    if (config.source === "orchard-cli") throw conflict(`Cluster ${name} comes from Orchard's CLI config (orchard.yml), which this server only reads; remove it with \`orchard context delete ${name}\``);
    this.added = this.added.filter((cluster) => cluster.name !== name);
    this.deps.store.save(this.added);
    this.clients.delete(name);
    this.deps.health.forget(name);
  }

  private async presented(url: string): Promise<PresentedCertificate> {
    const { hostname, port } = new URL(url);
    const presented = await peerCertificate(hostname.replace(/^\[|\]$/g, ""), Number(port || 443), this.deps.probeTimeoutMs);
    if (!presented) throw new AppError("upstream_failed", `Nothing answered TLS at ${url}`);
    return presented;
  }

  private normalized(address: string): string {
    const url = normalizeControllerUrl(address);
    if (!url) throw invalid("url: must be a controller address such as https://orchard.example.com:6120 or 192.168.1.10 (https and port 6120 are assumed)");
    return url;
  }

  /**
   * null when the system's roots accept the controller (nothing to pin, as the CLI); its PEM when
   * the caller confirmed this exact fingerprint; else a 409 that shows the fingerprint to confirm.
   */
  private async certificateFor(url: string, confirmed: string | null): Promise<string | null> {
    const presented = await this.presented(url);
    if (presented.trustedBySystem) return null;
    if (confirmed && normalFingerprint(confirmed) === presented.fingerprint) return presented.pem;
    const why = confirmed ? "does not match the fingerprint given" : "is not trusted by this system";
    throw conflict(
      `The controller at ${url} presents a certificate (${presented.subject}) that ${why}. Its SHA-256 fingerprint is ${presented.fingerprint}. ` +
        "Compare it with the one the controller printed when it first started, then add the cluster again with certificate_fingerprint set to it.",
    );
  }
}
