// Watching in the background: the backend checks every fabric's remote at the watch interval while
// the app is open and says what it found as events. A new remote commit (`remote-news`) becomes one
// toast with a Pull button, and the fabric's overview is reloaded so its badge says "behind"; a
// failed check is no event at all (the overview's badge says "offline"), so a lost network is a
// state the screens show, never a stream of error toasts. Also each fabric's "pull by itself"
// setting. Started by the sidebar, which is on screen exactly while the app is running.
import * as api from '../api';
import { adviceFor, type ErrorAdvice } from '../advice';
import { listSome, plural, shortSha } from '../format';
import type { FabricChangedEvent, FabricSettings, RemoteNews } from '../types';
import { pullFabric } from './actions';
import { app } from './app.svelte';
import { toasts } from './toasts.svelte';

/** How long a remote-news toast stays (it has a button; the badge keeps saying "behind" after). */
export const NEWS_MS = 15_000;

/** The toast's words: "demo: new commit by Ada: Add leaf-03 (2 files)", and the files. */
export function newsNotice(e: RemoteNews): { title: string; message: string } {
  const by = e.author ? ` by ${e.author}` : '';
  const what = e.summary ? `: ${e.summary}` : e.remote_commit ? ` ${shortSha(e.remote_commit)}` : '';
  return {
    title: `${e.fabric}: new commit${by}${what} (${plural(e.files.length, 'file')})`,
    message: e.files.length ? `Changed: ${listSome(e.files, 3)}.` : 'No file of this fabric changed; a pull moves it to the new commit.',
  };
}

export class WatchState {
  /** Each fabric's own settings, once loaded (absent: not loaded yet). */
  settings = $state<Record<string, FabricSettings>>({});
  /** Why a fabric's settings could not be loaded or changed. */
  errors = $state<Record<string, ErrorAdvice>>({});
  /** A change of the setting is on its way. */
  saving = $state<Record<string, boolean>>({});

  /** `fabric\0commit` of every remote commit already announced: one toast per commit. */
  #announced = new Set<string>();
  /** The news toast shown for each fabric, replaced by newer news and dropped by a pull. */
  #toast = new Map<string, number>();
  #unlisten: api.Unlisten[] = [];
  #starting: Promise<void> | null = null;
  /** Counts stops: a listener that arrives after a stop is dropped at once. */
  #generation = 0;

  /** Listens for news (once, however often it is called). A failure leaves the app without news, not broken. */
  start(): Promise<void> {
    const generation = this.#generation;
    const keep = (u: api.Unlisten) => (generation === this.#generation ? this.#unlisten.push(u) : u());
    this.#starting ??= (async () => {
      try {
        keep(await api.onRemoteNews((e) => this.onRemoteNews(e)));
        keep(await api.onFabricChanged((e) => this.onFabricChanged(e)));
      } catch {
        // no background news: the overview and its badge still say what Pull would do
      }
    })();
    return this.#starting;
  }

  stop(): void {
    this.#generation++;
    for (const u of this.#unlisten.splice(0)) u();
    this.#starting = null;
  }

  /** Forgets everything (tests). */
  reset(): void {
    this.stop();
    this.#announced.clear();
    this.#toast.clear();
    this.settings = {};
    this.errors = {};
    this.saving = {};
  }

  onRemoteNews(e: RemoteNews): void {
    // the overview computes "behind" from the fetched tip: reload it, news or not
    void app.data[e.fabric]?.refresh();
    if (!e.behind) return;
    const key = `${e.fabric}\u0000${e.remote_commit ?? ''}`;
    if (this.#announced.has(key)) return;
    this.#announced.add(key);
    this.#dismiss(e.fabric);
    const id = toasts.show(
      { tone: 'info', ...newsNotice(e), action: { label: 'Pull', run: () => void pullFabric(e.fabric) } },
      NEWS_MS,
    );
    this.#toast.set(e.fabric, id);
  }

  /** After a pull (from this window or by itself) the fabric's news is old news. */
  onFabricChanged(e: FabricChangedEvent): void {
    if (e.reason === 'pull') this.#dismiss(e.fabric);
  }

  /** Loads a fabric's settings unless they are there. */
  async load(fabric: string): Promise<void> {
    if (this.settings[fabric]) return;
    try {
      this.settings[fabric] = await api.fabricSettings(fabric);
      delete this.errors[fabric];
    } catch (e) {
      this.errors[fabric] = adviceFor(e, 'Loading the fabric settings');
    }
  }

  /** Turns automatic pulling on or off; on failure the setting stays as it was and the error is shown. */
  async setAutoPull(fabric: string, enabled: boolean): Promise<void> {
    this.saving[fabric] = true;
    try {
      this.settings[fabric] = await api.setAutoPull(fabric, enabled);
      delete this.errors[fabric];
    } catch (e) {
      this.errors[fabric] = adviceFor(e, enabled ? 'Turning on automatic pull' : 'Turning off automatic pull');
    } finally {
      this.saving[fabric] = false;
    }
  }

  #dismiss(fabric: string): void {
    const id = this.#toast.get(fabric);
    if (id === undefined) return;
    this.#toast.delete(fabric);
    toasts.dismiss(id);
  }
}

export const watch = new WatchState();
