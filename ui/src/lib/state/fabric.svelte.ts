// One fabric's data as the screens show it: overview (always), resources, tree, conflicts, the
// ingest dry run and the live state (once a screen asked for them). A `fabric-changed` event
// reloads what is loaded; a burst of events collapses into one reload.
import * as api from '../api';
import { adviceFor, type ErrorAdvice } from '../advice';
import { buildRows, NO_FILTER, type Filter, type Row } from '../filter';
import type { Conflict, IngestReport, Operation, Overview, Topology, TreeEntry } from '../types';
import { LiveState } from './live.svelte';

type Part = 'resources' | 'tree' | 'conflicts' | 'preview' | 'history' | 'live' | 'topology';

export class FabricData {
  readonly name: string;
  overview = $state.raw<Overview | null>(null);
  /** Rows of list_resources, built once per answer (raw: 10,000 rows need no deep reactivity). */
  rows = $state.raw<Row[] | null>(null);
  tree = $state.raw<TreeEntry[] | null>(null);
  conflicts = $state.raw<Conflict[] | null>(null);
  preview = $state.raw<IngestReport | null>(null);
  /** operation_log, newest first. */
  history = $state.raw<Operation[] | null>(null);
  /** The fabric's picture (topology view). */
  topology = $state.raw<Topology | null>(null);
  /** The cluster link and the drift report of its last snapshot (errors and loading are its own). */
  readonly live: LiveState;
  /** The resources table's filter, kept while the user visits other screens. */
  filter = $state<Filter>({ ...NO_FILTER });
  errors = $state<Partial<Record<'overview' | Part, ErrorAdvice>>>({});
  loading = $state<Partial<Record<'overview' | Part, boolean>>>({});

  #wanted = new Set<Part>();
  #refreshing: Promise<void> | null = null;
  #again = false;

  constructor(name: string) {
    this.name = name;
    this.live = new LiveState(name);
  }

  async loadOverview(): Promise<void> {
    await this.#load('overview', () => api.fabricOverview(this.name), (v) => (this.overview = v));
  }

  async loadResources(): Promise<void> {
    this.#wanted.add('resources');
    await this.#load('resources', () => api.listResources(this.name), (v) => (this.rows = buildRows(v)));
  }

  async loadTree(): Promise<void> {
    this.#wanted.add('tree');
    await this.#load('tree', () => api.fabricTree(this.name), (v) => (this.tree = v));
  }

  async loadConflicts(): Promise<void> {
    this.#wanted.add('conflicts');
    await this.#load('conflicts', () => api.listConflicts(this.name), (v) => (this.conflicts = v));
  }

  async loadPreview(): Promise<void> {
    this.#wanted.add('preview');
    await this.#load('preview', () => api.ingestPreview(this.name), (v) => (this.preview = v));
  }

  async loadHistory(): Promise<void> {
    this.#wanted.add('history');
    await this.#load('history', () => api.operationLog(this.name), (v) => (this.history = newestFirst(v)));
  }

  async loadTopology(): Promise<void> {
    this.#wanted.add('topology');
    await this.#load('topology', () => api.topology(this.name), (v) => (this.topology = v));
  }

  /** The link and the stored snapshot's report: never reads the cluster (Read now does). */
  async loadLive(): Promise<void> {
    this.#wanted.add('live');
    this.loading.live = true;
    try {
      await this.live.load();
    } finally {
      this.loading.live = false;
    }
  }

  /** Reloads the live state alone, when a screen has asked for it (a new read of the cluster changes nothing else). */
  refreshLive(): Promise<void> {
    return this.#wanted.has('live') ? this.loadLive() : Promise.resolve();
  }

  /** Loads a part unless it is there already. */
  ensure(part: Part): Promise<void> {
    const have = {
      resources: this.rows,
      tree: this.tree,
      conflicts: this.conflicts,
      preview: this.preview,
      history: this.history,
      live: this.live.loaded,
      topology: this.topology,
    }[part];
    if (have || this.loading[part]) return Promise.resolve();
    return this.#loader(part)();
  }

  /** Reloads the overview and every part a screen has asked for; concurrent calls coalesce. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    // Cleared inside the loop's own `finally`, in the same turn as its last check of #again: a
    // chained .finally() would leave a window where a call coalesces into a round that has
    // already ended, and its reload would never happen.
    this.#refreshing = (async () => {
      try {
        do {
          this.#again = false;
          await Promise.all([this.loadOverview(), ...[...this.#wanted].map((p) => this.#loader(p)())]);
        } while (this.#again);
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  #loader(part: Part): () => Promise<void> {
    switch (part) {
      case 'resources':
        return () => this.loadResources();
      case 'tree':
        return () => this.loadTree();
      case 'conflicts':
        return () => this.loadConflicts();
      case 'preview':
        return () => this.loadPreview();
      case 'history':
        return () => this.loadHistory();
      case 'live':
        return () => this.loadLive();
      case 'topology':
        return () => this.loadTopology();
    }
  }

  async #load<T>(part: 'overview' | Part, fetch: () => Promise<T>, set: (value: T) => void): Promise<void> {
    this.loading[part] = true;
    try {
      set(await fetch());
      delete this.errors[part];
    } catch (e) {
      this.errors[part] = adviceFor(e, `Loading ${part}`);
    } finally {
      this.loading[part] = false;
    }
  }
}

/** Operations newest first (the backend sends them so; this keeps it true whatever it sends). */
export function newestFirst(ops: Operation[]): Operation[] {
  const time = (o: Operation) => {
    const t = Date.parse(o.started_at);
    return Number.isNaN(t) ? -Infinity : t;
  };
  return [...ops].sort((a, b) => time(b) - time(a) || b.id - a.id);
}
