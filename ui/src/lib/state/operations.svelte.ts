// Long operations (pull, ingest, push, init, clone) per fabric: what is running, its current step
// from `progress` events, and whether it may be cancelled now.
import * as api from '../api';
import type { ProgressEvent, TaskKind } from '../types';

export interface Running {
  fabric: string;
  operation: TaskKind;
  step: string;
  done: number;
  total: number;
  cancellable: boolean;
  /** The recorded operation, once a progress event named it: what Cancel stops. */
  operationId: number | null;
  /** Started from this window (cleared when its command returns), else seen through events only. */
  ours: boolean;
  cancelling: boolean;
}

/** How long the bar of an operation started elsewhere (CLI, poll) stays after its last step. */
export const LINGER_MS = 1500;

export class Operations {
  byFabric = $state<Record<string, Running>>({});
  #linger = new Map<string, ReturnType<typeof setTimeout>>();

  get(fabric: string | null | undefined): Running | undefined {
    return fabric ? this.byFabric[fabric] : undefined;
  }

  busy(fabric: string | null | undefined): boolean {
    return !!this.get(fabric);
  }

  /** Runs `work` as operation `operation` on `fabric`, showing a bar from the first moment. */
  async run<T>(fabric: string, operation: TaskKind, work: () => Promise<T>): Promise<T> {
    this.#stopLinger(fabric);
    this.byFabric[fabric] = { fabric, operation, step: 'starting', done: 0, total: 0, cancellable: false, operationId: null, ours: true, cancelling: false };
    try {
      return await work();
    } finally {
      delete this.byFabric[fabric];
    }
  }

  onProgress(e: ProgressEvent): void {
    const prev = this.byFabric[e.fabric];
    const ours = prev?.ours ?? false;
    this.byFabric[e.fabric] = {
      fabric: e.fabric,
      operation: e.operation,
      step: e.step,
      done: e.done,
      total: e.total,
      cancellable: e.cancellable,
      operationId: e.operation_id ?? prev?.operationId ?? null,
      ours,
      cancelling: (prev?.cancelling ?? false) && e.cancellable,
    };
    this.#stopLinger(e.fabric);
    if (!ours && e.total > 0 && e.done >= e.total) {
      this.#linger.set(
        e.fabric,
        setTimeout(() => {
          this.#linger.delete(e.fabric);
          if (this.byFabric[e.fabric] && !this.byFabric[e.fabric].ours) delete this.byFabric[e.fabric];
        }, LINGER_MS),
      );
    }
  }

  /** Asks this fabric's running operation (and no other) to stop where that is safe. */
  async cancel(fabric: string): Promise<void> {
    const r = this.byFabric[fabric];
    if (r) r.cancelling = true;
    await api.cancelOperation(fabric, r?.operationId ?? null);
  }

  #stopLinger(fabric: string): void {
    clearTimeout(this.#linger.get(fabric));
    this.#linger.delete(fabric);
  }
}

export const operations = new Operations();
