// The application: the workspace (repositories, fabrics and their data), what is selected and
// shown, and the subscription to backend events that keeps it all current.
import * as api from '../api';
import { adviceFor, type ErrorAdvice } from '../advice';
import type { AppInfo, FabricChangedEvent, Fabric, Repository } from '../types';
import { FabricData } from './fabric.svelte';
import { operations } from './operations.svelte';
import { ResourceDraft } from './resource.svelte';
import { settings } from './settings.svelte';
import { toasts } from './toasts.svelte';

export type View = 'overview' | 'resources' | 'tree' | 'topology' | 'editor' | 'conflicts' | 'history';
export type DialogName = 'add' | 'push' | 'new-resource';
/** What the main area shows: the selected fabric, or the Settings page. */
export type Page = 'fabric' | 'settings';

/** The key of an editor buffer: fabric, kind and name. */
export function bufferKey(fabric: string, kind: string, name: string): string {
  return `${fabric}\u0000${kind}/${name}`;
}

export class AppState {
  info = $state.raw<AppInfo | null>(null);
  startError = $state<ErrorAdvice | null>(null);
  ready = $state(false);
  repositories = $state.raw<Repository[]>([]);
  fabrics = $state.raw<Fabric[]>([]);
  data = $state<Record<string, FabricData>>({});
  selected = $state<string | null>(null);
  view = $state<View>('overview');
  page = $state<Page>('fabric');
  /**
   * Editor buffers by `bufferKey`: the resource open in each fabric's editor, and every other one
   * with unsaved changes (opening another resource or switching fabric keeps them; switching back
   * restores them). Only closing the editor drops one, and the editor asks first when it is dirty.
   */
  buffers = $state.raw<Record<string, ResourceDraft>>({});
  /** The buffer open in the editor, per fabric. */
  openBuffer = $state<Record<string, string>>({});
  /** Kind templates for New resource, loaded on first use. */
  templates = $state.raw<Record<string, string> | null>(null);
  dialog = $state<DialogName | null>(null);
  demo = $state(false);
  /** The file selected in the tree view, per fabric. */
  treeSelection = $state<Record<string, string>>({});
  /** The window was asked to close while text is unsaved: the close dialog asks what to do. */
  closeRequested = $state(false);
  /** The window is being destroyed: nothing asks any more. */
  closing = $state(false);

  #unlisten: api.Unlisten[] = [];

  get current(): FabricData | null {
    return this.selected ? (this.data[this.selected] ?? null) : null;
  }

  /** The resource open in the selected fabric's editor; kept while other screens are shown. */
  get editing(): ResourceDraft | null {
    return this.editorOf(this.selected);
  }

  editorOf(fabric: string | null | undefined): ResourceDraft | null {
    const key = fabric ? this.openBuffer[fabric] : undefined;
    return key ? (this.buffers[key] ?? null) : null;
  }

  /** Buffers with unsaved changes, of one fabric or of all; oldest opened first. */
  unsaved(fabric?: string): ResourceDraft[] {
    return Object.values(this.buffers).filter((d) => d.dirty && (fabric === undefined || d.fabric === fabric));
  }

  get hasUnsaved(): boolean {
    return Object.values(this.buffers).some((d) => d.dirty);
  }

  /** First thing on start: events, app_info (makes the demo workspace on a first run), the workspace. */
  async start(): Promise<void> {
    try {
      this.#unlisten.push(await api.onProgress((e) => operations.onProgress(e)));
      this.#unlisten.push(await api.onFabricChanged((e) => this.onFabricChanged(e)));
      this.#unlisten.push(await api.onCloseRequested((e) => this.onCloseRequested(e)));
      // the theme colours the first screen; a failure keeps the system's colours, not the app from starting
      void settings.loadPreferences();
      this.info = await api.appInfo();
      await this.loadWorkspace();
      const demo = this.info.demo;
      if (demo && this.data[demo.fabric]) {
        // the banner explains the demo on the first run, and as long as it is the only fabric
        this.demo = demo.created || this.fabrics.length === 1;
        this.select(demo.fabric);
      } else if (!this.selected && this.fabrics.length) {
        this.select(this.fabrics[0].name);
      }
      this.ready = true;
    } catch (e) {
      this.startError = adviceFor(e, 'Starting hhsync');
    }
  }

  stop(): void {
    for (const u of this.#unlisten.splice(0)) u();
  }

  async loadWorkspace(): Promise<void> {
    const [repositories, fabrics] = await Promise.all([api.listRepositories(), api.listFabrics()]);
    this.repositories = repositories;
    this.fabrics = fabrics;
    const names = new Set(fabrics.map((f) => f.name));
    for (const name of Object.keys(this.data)) if (!names.has(name)) delete this.data[name];
    if (Object.values(this.buffers).some((d) => !names.has(d.fabric))) {
      this.buffers = Object.fromEntries(Object.entries(this.buffers).filter(([, d]) => names.has(d.fabric)));
      for (const name of Object.keys(this.openBuffer)) if (!names.has(name)) delete this.openBuffer[name];
    }
    for (const f of fabrics) if (!this.data[f.name]) this.data[f.name] = new FabricData(f.name);
    if (this.selected && !names.has(this.selected)) this.selected = null;
    await Promise.all(fabrics.map((f) => this.data[f.name].loadOverview()));
  }

  onFabricChanged(e: FabricChangedEvent): void {
    const d = this.data[e.fabric];
    if (!d) {
      void this.loadWorkspace();
      return;
    }
    // a new read of the cluster changes only the live state: reload it alone, from the stored snapshot
    if (e.reason === 'live') {
      void d.refreshLive();
      return;
    }
    // every other reason reloads the overview: 'poll' is the remote going offline or answering
    // again (the badge says so), 'pull' may be one the fabric made by itself
    void d.refresh();
    // no file changed on a draft save or a change of connectivity; buffers with unsaved changes
    // are left alone (reloadIfClean): the user's text wins
    if (e.reason !== 'draft' && e.reason !== 'poll') for (const b of Object.values(this.buffers)) if (b.fabric === e.fabric) void b.reloadIfClean();
  }

  /**
   * The window is asked to close: it closes when no text is unsaved, else it stays open and the
   * close dialog asks (save all / close without saving / cancel). Never throws (the window would
   * stay open for good).
   */
  onCloseRequested(e: api.CloseRequest): void {
    if (this.closing || !this.hasUnsaved) return;
    e.preventDefault();
    this.closeRequested = true;
  }

  /** Closes the window now, unsaved text or not. */
  async closeWindow(): Promise<void> {
    this.closing = true;
    try {
      await api.destroyWindow();
    } catch (e) {
      this.closing = false;
      throw e;
    }
  }

  /**
   * Saves every buffer with unsaved text as its draft, one after the other (as the editor's Save
   * draft does); returns the ones that failed, with the reason. Those saved stay saved either way.
   */
  async saveAll(): Promise<{ draft: ResourceDraft; error: unknown }[]> {
    const failed: { draft: ResourceDraft; error: unknown }[] = [];
    for (const draft of this.unsaved()) {
      try {
        await draft.save(draft.text);
        void this.data[draft.fabric]?.refresh();
      } catch (error) {
        failed.push({ draft, error });
      }
    }
    this.#prune();
    return failed;
  }

  /** Shows a fabric; its editor (and any unsaved buffer) stays as it was, and comes back with it. */
  select(name: string): void {
    this.page = 'fabric';
    if (this.selected !== name) {
      this.selected = name;
      this.view = this.editing?.dirty ? 'editor' : 'overview';
    }
    void this.data[name]?.loadOverview();
  }

  show(view: View): void {
    this.page = 'fabric';
    this.view = view;
  }

  openSettings(): void {
    this.page = 'settings';
  }

  /**
   * Opens a resource in the editor; with `text`, a new one not saved yet. The buffer open before
   * stays when it has unsaved changes; a buffer of this resource with unsaved changes is reopened
   * as it was (even over a template: nothing typed is replaced).
   */
  openResource(kind: string, name: string, text?: string): void {
    const fabric = this.selected;
    if (!fabric) return;
    const key = bufferKey(fabric, kind, name);
    let draft: ResourceDraft | undefined = this.buffers[key];
    if (draft && text !== undefined && draft.dirty) {
      toasts.show({ tone: 'info', title: `Unsaved changes of ${kind}/${name} kept`, message: 'The editor shows them as you left them.' });
    } else if (!draft || text !== undefined) {
      draft = new ResourceDraft(fabric, kind, name);
      if (text !== undefined) draft.startNew(text);
      else void draft.load();
    }
    this.buffers = { ...this.buffers, [key]: draft };
    this.openBuffer[fabric] = key;
    this.#prune();
    this.view = 'editor';
  }

  async loadTemplates(): Promise<Record<string, string>> {
    this.templates ??= await api.kindTemplates();
    return this.templates;
  }

  /** Closes the selected fabric's editor and drops its buffer (the editor asks first when it is dirty). */
  closeEditor(): void {
    const fabric = this.selected;
    const key = fabric ? this.openBuffer[fabric] : undefined;
    if (fabric && key) {
      delete this.openBuffer[fabric];
      const rest = { ...this.buffers };
      delete rest[key];
      this.buffers = rest;
    }
    if (this.view === 'editor') this.view = 'resources';
  }

  /** Forgets every buffer (tests, and nothing else: buffers hold the user's text). */
  clearBuffers(): void {
    this.buffers = {};
    this.openBuffer = {};
  }

  /** Drops buffers neither open nor holding unsaved changes. */
  #prune(): void {
    const open = new Set(Object.values(this.openBuffer));
    const kept = Object.entries(this.buffers).filter(([k, d]) => open.has(k) || d.dirty || d.busy);
    if (kept.length !== Object.keys(this.buffers).length) this.buffers = Object.fromEntries(kept);
  }

  openFile(path: string): void {
    if (!this.selected) return;
    this.treeSelection[this.selected] = path;
    this.view = 'tree';
  }
}

export const app = new AppState();
