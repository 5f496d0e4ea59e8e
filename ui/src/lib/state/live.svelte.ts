// One fabric's live state: how it reaches its cluster (the link) and the drift report of the last
// stored snapshot. Loading never reads the cluster (`drift(fabric, false)`, works offline); only
// Read now does. No cluster linked is a state (`link === null`), never an error. Held by
// FabricData, which reloads it with the rest of the fabric on `fabric-changed`.
import * as api from '../api';
import { adviceFor, type ErrorAdvice } from '../advice';
import type { ClusterLink, DraftReport, DriftReport } from '../types';

export class LiveState {
  readonly fabric: string;
  /** Undefined: not loaded yet; null: no cluster linked. */
  link = $state.raw<ClusterLink | null | undefined>(undefined);
  /** The drift report of the last stored snapshot; null when not linked. */
  report = $state.raw<DriftReport | null>(null);
  /** Why the link or the report could not be loaded. */
  error = $state<ErrorAdvice | null>(null);
  /** Read now is reading the cluster. */
  reading = $state(false);
  /** Why the last Read now failed (an unreachable cluster is no failure: the report says so). */
  readError = $state<ErrorAdvice | null>(null);
  /** A bearer token given to hhsync is kept for this cluster (in the keychain). */
  hasToken = $state(false);
  /** Saving or removing the link. */
  saving = $state(false);
  /** Something asked to show the Cluster settings (the "link one" buttons); the settings take it. */
  settingsWanted = $state(false);

  constructor(fabric: string) {
    this.fabric = fabric;
  }

  get loaded(): boolean {
    return this.link !== undefined;
  }

  get linked(): boolean {
    return !!this.link;
  }

  /** The link and the stored snapshot's report. */
  async load(): Promise<void> {
    try {
      const link = await api.clusterLink(this.fabric);
      this.report = link ? await api.drift(this.fabric, false) : null;
      this.hasToken = link ? await api.clusterHasToken(this.fabric) : false;
      this.link = link;
      this.error = null;
    } catch (e) {
      this.#failed(e, (a) => (this.error = a), 'Loading the live state');
    }
  }

  /** Reads the cluster now; the report that comes back is the stored snapshot from then on. */
  async readNow(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    this.readError = null;
    try {
      this.report = await api.drift(this.fabric, true);
      this.error = null;
    } catch (e) {
      this.#failed(e, (a) => (this.readError = a), 'Reading the cluster');
    } finally {
      this.reading = false;
    }
  }

  /**
   * Links the cluster (values as given: the form trims them; a token goes to the keychain), then
   * loads the stored report. Throws the refusal.
   */
  async saveLink(kubeconfig: string, context: string | null, namespace: string | null, token: string | null = null): Promise<ClusterLink> {
    this.saving = true;
    try {
      const link = await api.setCluster(this.fabric, kubeconfig, context, namespace, token);
      this.link = link;
      await this.load();
      return link;
    } finally {
      this.saving = false;
    }
  }

  /** Forgets the link: the live state is gone from every screen. Throws a failure. */
  async removeLink(): Promise<void> {
    this.saving = true;
    try {
      await api.unsetCluster(this.fabric);
      this.link = null;
      this.report = null;
      this.hasToken = false;
      this.readError = null;
      this.error = null;
    } finally {
      this.saving = false;
    }
  }

  /** Makes resources only on the cluster drafts ("Kind/name"; empty: all of them). */
  adopt(resources: string[]): Promise<DraftReport[]> {
    return api.adopt(this.fabric, resources);
  }

  /** `not-linked` is no failure: the link went away meanwhile. */
  #failed(e: unknown, set: (advice: ErrorAdvice) => void, action: string): void {
    const advice = adviceFor(e, action);
    if (advice.code === 'not-linked') {
      this.link = null;
      this.report = null;
      return;
    }
    set(advice);
  }
}
