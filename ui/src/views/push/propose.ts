// Proposing a change: the push dialog's prefills for a pull request (a branch name, a title, a
// body listing the changes) and the action that pushes to the branch and opens the request, with
// a toast that says how far it got. Opening the request can fail after the push succeeded; that
// is a result to show, not an error.
import * as api from '../../lib/api';
import { adviceFor, type ErrorAdvice } from '../../lib/advice';
import { plural, resourceKey } from '../../lib/format';
import { app } from '../../lib/state/app.svelte';
import { operations } from '../../lib/state/operations.svelte';
import { toasts } from '../../lib/state/toasts.svelte';
import type { DraftDiff, ProposeResult } from '../../lib/types';
import { proposalsOf } from '../proposals/proposals.svelte';

/** The commit message's order: modified, created, deleted. */
const ORDER: DraftDiff['change'][] = ['modified', 'created', 'deleted'];

const pad = (n: number) => String(n).padStart(2, '0');

/** `hhsync/<fabric>-<yyyymmdd-hhmm>` in local time; characters a branch name may not hold become `-`. */
export function suggestBranch(fabric: string, now: Date = new Date()): string {
  const name = fabric.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'fabric';
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
  return `hhsync/${name}-${stamp}`;
}

/** The first non-empty line of a commit message: the pull request's title. */
export function firstLine(message: string): string {
  return message.split('\n').find((l) => l.trim())?.trim() ?? '';
}

/** The pull request's body: each resource with its change, as a Markdown list. */
export function proposalBody(fabric: string, changes: Pick<DraftDiff, 'change' | 'kind' | 'name'>[]): string {
  const sorted = [...changes].sort((a, b) => ORDER.indexOf(a.change) - ORDER.indexOf(b.change) || resourceKey(a).localeCompare(resourceKey(b)));
  const lines = sorted.map((d) => `- ${d.change} \`${resourceKey(d)}\``);
  return [`Changes to fabric ${fabric}, proposed with hhsync:`, '', ...lines].join('\n');
}

/** What a propose came to, ready to show: the pull request, or why it could not be opened. */
export interface ProposeOutcome {
  result: ProposeResult;
  /** Set when the push succeeded but opening the pull request failed. */
  prError: ErrorAdvice | null;
}

/** Opens a pull request's page in the system browser; a refusal is toasted. */
export async function openPullRequest(url: string): Promise<void> {
  try {
    await api.openUrl(url);
  } catch (e) {
    toasts.error(e, 'Opening the pull request');
  }
}

/** Push to a branch and open a pull request; errors of the push are toasted and rethrown. */
export async function proposeFabric(fabric: string, options: api.ProposeOptions): Promise<ProposeOutcome> {
  try {
    const result = await operations.run(fabric, 'push', () => api.propose(fabric, options));
    const prError = result.pull_request_error ? adviceFor(result.pull_request_error, 'Opening the pull request') : null;
    const { push, pull_request: pr } = result;
    const what = push.pushed.length ? plural(push.pushed.length, 'change') : 'changes';
    if (pr) {
      toasts.show({
        tone: 'success',
        title: `Proposed ${what}: pull request #${pr.number}`,
        message: `Pushed to branch ${push.branch}; pull request #${pr.number} "${pr.title}" is open.`,
        action: { label: 'Open pull request', run: () => void openPullRequest(pr.url) },
      });
    } else if (prError) {
      toasts.show({
        tone: 'warn',
        title: `Pushed to ${push.branch}, no pull request`,
        message: `The pull request could not be opened: ${prError.message}`,
        advice: prError.advice,
      });
    } else if (!push.commit) {
      toasts.show({ tone: 'info', title: 'Nothing to propose', message: 'The drafts matched what Git already has.' });
    }
    return { result, prError };
  } catch (e) {
    toasts.error(e, 'Propose');
    throw e;
  } finally {
    void app.data[fabric]?.refresh();
    void proposalsOf(fabric).load();
  }
}
