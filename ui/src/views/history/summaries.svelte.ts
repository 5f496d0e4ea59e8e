// What the history list shows of each operation's commit without opening it: the resources it
// touched (by name), its message and its author. operation_log does not carry these, so they come
// from operation_diff, fetched for the newest operations that made a commit, a few at a time, and
// kept: an operation's commit never changes once it has finished.
// (A cheaper source would be the engine listing them in OperationRow; see the UI's report.)
import * as api from '../../lib/api';
import type { Operation } from '../../lib/types';
import { authorName, madeCommit, resourcesOf, splitMessage } from './history';

export interface CommitSummary {
  resources: string[];
  subject: string;
  author: string;
}

/** How many of the newest operations with a commit get their summary fetched. */
export const SUMMARY_LIMIT = 25;
/** operation_diff calls in flight at once: the list fills in without a burst of Git reads. */
const PARALLEL = 3;

export class CommitSummaries {
  readonly fabric: string;
  byId = $state<Record<number, CommitSummary | 'loading' | 'failed'>>({});
  #queue: number[] = [];
  #running = 0;

  constructor(fabric: string) {
    this.fabric = fabric;
  }

  /** Fetches what is missing for the newest `SUMMARY_LIMIT` finished operations with a commit. */
  want(ops: Operation[]): void {
    const wanted = ops.filter((o) => o.status !== 'running' && madeCommit(o)).slice(0, SUMMARY_LIMIT);
    for (const op of wanted) {
      if (this.byId[op.id] !== undefined) continue;
      this.byId[op.id] = 'loading';
      this.#queue.push(op.id);
    }
    this.#pump();
  }

  get(id: number): CommitSummary | 'loading' | 'failed' | undefined {
    return this.byId[id];
  }

  #pump(): void {
    while (this.#running < PARALLEL && this.#queue.length) {
      const id = this.#queue.shift()!;
      this.#running++;
      void this.#fetch(id).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #fetch(id: number): Promise<void> {
    try {
      const diff = await api.operationDiff(this.fabric, id);
      this.byId[id] = { resources: resourcesOf(diff.files), subject: splitMessage(diff.message).subject, author: authorName(diff.author) };
    } catch {
      // the row keeps its counts; opening the operation shows the error with a Retry
      this.byId[id] = 'failed';
    }
  }
}
