// Notifications: short-lived toasts for what happened (pull brought changes, push done) and
// sticky ones for errors, with what to do next. A toast whose time is up fades out first.
import { adviceFor } from '../advice';

export type ToastTone = 'success' | 'info' | 'warn' | 'error';

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  message?: string;
  advice?: string;
  action?: ToastAction;
  /** Its time is up: fading out, removed after FADE_MS. */
  leaving?: boolean;
}

/** How long a toast stays, by tone; 0 = until dismissed. */
export const TOAST_MS: Record<ToastTone, number> = { success: 10_000, info: 8_000, warn: 15_000, error: 0 };
/** How long a toast takes to fade out once its time is up. */
export const FADE_MS = 300;
/** How many toasts show in full; older ones collapse into one line. */
export const VISIBLE_TOASTS = 3;

export class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  show(toast: Omit<Toast, 'id'>, ms: number = TOAST_MS[toast.tone]): number {
    const id = this.#next++;
    this.items = [...this.items.slice(-4), { ...toast, id }];
    if (ms > 0) this.#timers.set(id, setTimeout(() => this.#expire(id), ms));
    return id;
  }

  /** Time is up: fade out, then go (hovering it meanwhile keeps it). */
  #expire(id: number): void {
    this.items = this.items.map((t) => (t.id === id ? { ...t, leaving: true } : t));
    this.#timers.set(id, setTimeout(() => this.dismiss(id), FADE_MS));
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  /** Keeps a toast while the pointer or focus is on it. */
  hold(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    if (this.items.some((t) => t.id === id && t.leaving)) this.items = this.items.map((t) => (t.id === id ? { ...t, leaving: false } : t));
  }

  release(id: number): void {
    const t = this.items.find((x) => x.id === id);
    if (t && !this.#timers.has(id) && TOAST_MS[t.tone] > 0) {
      this.#timers.set(id, setTimeout(() => this.#expire(id), TOAST_MS[t.tone]));
    }
  }

  /** A failure, with the advice its error code calls for. A cancel is news, not an error. */
  error(error: unknown, action?: string): number {
    const a = adviceFor(error, action);
    if (a.code === 'cancelled') return this.show({ tone: 'info', title: action ? `${action} cancelled` : 'Cancelled', message: a.advice });
    return this.show({ tone: 'error', title: a.title, message: a.message, advice: a.advice });
  }

  clear(): void {
    for (const id of [...this.#timers.keys()]) this.hold(id);
    this.items = [];
  }
}

export const toasts = new Toasts();
