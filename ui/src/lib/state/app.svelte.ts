// The application: the workspace (repositories, fabrics and their data), what is selected and
// shown, and the subscription to backend events that keeps it all current.
import * as api from '../api';
import { adviceFor, type ErrorAdvice } from '../advice';
import type { AppInfo, FabricChangedEvent, Fabric, Repository } from '../types';
import { FabricData } from './fabric.svelte';
import { operations } from './operations.svelte';
import { ResourceDraft } from './resource.svelte';

export type View = 'overview' | 'resources' | 'tree' | 'editor' | 'conflicts';
export type DialogName = 'add' | 'push' | 'new-resource';

export class AppState {
  info = $state.raw<AppInfo | null>(null);
  startError = $state<ErrorAdvice | null>(null);
  ready = $state(false);
  repositories = $state.raw<Repository[]>([]);
  fabrics = $state.raw<Fabric[]>([]);
  data = $state<Record<string, FabricData>>({});
  selected = $state<string | null>(null);
  view = $state<View>('overview');
  /** The resource open in the editor; kept while other screens are shown, so edits survive. */
  editing = $state.raw<ResourceDraft | null>(null);
  /** Kind templates for New resource, loaded on first use. */
  templates = $state.raw<Record<string, string> | null>(null);
  dialog = $state<DialogName | null>(null);
  demo = $state(false);
  /** The file selected in the tree view, per fabric. */
  treeSelection = $state<Record<string, string>>({});

  #unlisten: api.Unlisten[] = [];

  get current(): FabricData | null {
    return this.selected ? (this.data[this.selected] ?? null) : null;
  }

  /** First thing on start: events, app_info (makes the demo workspace on a first run), the workspace. */
  async start(): Promise<void> {
    try {
      this.#unlisten.push(await api.onProgress((e) => operations.onProgress(e)));
      this.#unlisten.push(await api.onFabricChanged((e) => this.onFabricChanged(e)));
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
    void d.refresh();
    const ed = this.editing;
    if (ed && ed.fabric === e.fabric && e.reason !== 'draft') void ed.reloadIfClean();
  }

  select(name: string): void {
    if (this.selected !== name) {
      this.selected = name;
      this.editing = null;
      this.view = 'overview';
    }
    void this.data[name]?.loadOverview();
  }

  show(view: View): void {
    this.view = view;
  }

  /** Opens a resource in the editor; with `text`, a new one not saved yet. */
  openResource(kind: string, name: string, text?: string): void {
    if (!this.selected) return;
    const same = this.editing && this.editing.kind === kind && this.editing.name === name && this.editing.fabric === this.selected;
    if (!same || text !== undefined) {
      const draft = new ResourceDraft(this.selected, kind, name);
      if (text !== undefined) draft.startNew(text);
      else void draft.load();
      this.editing = draft;
    }
    this.view = 'editor';
  }

  async loadTemplates(): Promise<Record<string, string>> {
    this.templates ??= await api.kindTemplates();
    return this.templates;
  }

  closeEditor(): void {
    this.editing = null;
    if (this.view === 'editor') this.view = 'resources';
  }

  openFile(path: string): void {
    if (!this.selected) return;
    this.treeSelection[this.selected] = path;
    this.view = 'tree';
  }
}

export const app = new AppState();
