// A fabric's proposals (pushes to a branch with a pull request) as the Proposals panel and the
// resources table show them: the list from the database (cheap, no network), a refresh that asks
// GitHub for each pull request's state (a merged one is pulled, a closed one abandons its
// proposal), and abandoning one (its drafts stay drafts). One instance per fabric, shared by every view; the latest load
// wins.
import * as api from '../../lib/api';
import { adviceFor, type ErrorAdvice } from '../../lib/advice';
import type { ProposalRow, ProposalView } from '../../lib/types';

/** The pull request of an open proposal, as the resources table marks a draft with it. */
export interface PrMark {
  number: number;
  url: string | null;
  branch: string;
}

/** A branch name as a test id part: `/` becomes `-`. */
export function branchId(branch: string): string {
  return branch.replaceAll('/', '-');
}

/** Open proposals first, then newest first. */
export function ordered(list: ProposalView[]): ProposalView[] {
  const rank = (p: ProposalView) => (p.state === 'open' ? 0 : 1);
  return [...list].sort((a, b) => rank(a) - rank(b) || b.created_at.localeCompare(a.created_at) || b.id - a.id);
}

export class FabricProposals {
  readonly fabric: string;
  /** Null until the first answer. */
  list = $state.raw<ProposalView[] | null>(null);
  /** Why the list could not be loaded or refreshed; cleared by the next success. */
  error = $state<ErrorAdvice | null>(null);
  loading = $state(false);
  /** Asking GitHub (refresh_proposals). */
  refreshing = $state(false);
  /** The branch being abandoned. */
  abandoning = $state<string | null>(null);

  #seq = 0;
  // the marks of the last list: built once per answer (instances may be made inside a $derived,
  // where a $derived field would be owned by it, so this is a plain cache read through `list`)
  #marksOf: ProposalView[] | null = null;
  #marks = new Map<string, PrMark>();

  constructor(fabric: string) {
    this.fabric = fabric;
  }

  /** "Kind/name" → the pull request of the newest open proposal holding it. */
  get marks(): ReadonlyMap<string, PrMark> {
    const list = this.list;
    if (list !== this.#marksOf) {
      this.#marksOf = list;
      this.#marks = markMap(list ?? []);
    }
    return this.#marks;
  }

  /** Reads the proposals from the database; a failure leaves the last list and sets `error`. */
  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const list = await api.proposals(this.fabric);
      if (seq !== this.#seq) return;
      this.list = ordered(list);
      this.error = null;
    } catch (e) {
      if (seq === this.#seq) this.error = adviceFor(e, 'Loading proposals');
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** Asks GitHub for each pull request's state; resolves with the proposals whose state changed. */
  async refresh(): Promise<ProposalView[]> {
    if (this.refreshing) return [];
    const seq = ++this.#seq;
    const before = new Map((this.list ?? []).map((p) => [p.id, p.state]));
    this.refreshing = true;
    this.loading = false;
    try {
      const list = ordered(await api.refreshProposals(this.fabric));
      if (seq === this.#seq) {
        this.list = list;
        this.error = null;
      }
      return list.filter((p) => before.has(p.id) && before.get(p.id) !== p.state);
    } catch (e) {
      if (seq === this.#seq) this.error = adviceFor(e, 'Refreshing proposals');
      throw e;
    } finally {
      // a merged pull request was pulled: the backend's fabric-changed event reloads the fabric
      this.refreshing = false;
    }
  }

  /** Abandons the proposal of `branch` (its pull request is left as it is), then reloads the list. */
  async abandon(branch: string): Promise<ProposalRow> {
    this.abandoning = branch;
    try {
      const row = await api.abandonProposal(this.fabric, branch);
      await this.load();
      return row;
    } finally {
      this.abandoning = null;
    }
  }
}

function markMap(list: ProposalView[]): Map<string, PrMark> {
  const out = new Map<string, PrMark>();
  // oldest first, so the newest proposal's number wins
  const open = list.filter((p) => p.state === 'open' && p.pr_number != null).sort((a, b) => a.id - b.id);
  for (const p of open) {
    for (const key of p.resources) out.set(key, { number: p.pr_number as number, url: p.pr_url, branch: p.branch });
  }
  return out;
}

const byFabric = new Map<string, FabricProposals>();

/** The proposals of `fabric`, one instance per fabric. */
export function proposalsOf(fabric: string): FabricProposals {
  let p = byFabric.get(fabric);
  if (!p) byFabric.set(fabric, (p = new FabricProposals(fabric)));
  return p;
}

/** Forgets every fabric's proposals (tests). */
export function resetProposals(): void {
  byFabric.clear();
}
