// The words of the toasts for finished operations: what a pull brought, what a push made.
import type { DocumentOutcome, IngestReport, PullReport, PushReport } from './types';
import { listSome, plural, shortSha } from './format';

export interface Notice {
  tone: 'success' | 'info' | 'warn';
  title: string;
  message: string;
}

export function pullNotice(r: PullReport): Notice {
  if (r.up_to_date || (r.changed.length === 0 && r.commit_before === r.commit_after)) {
    return { tone: 'info', title: `${r.fabric} is up to date`, message: 'Nothing changed on the remote.' };
  }
  const items = r.changed.map((c) => `${c.kind}/${c.name} ${c.change}`);
  const parts: string[] = [];
  if (items.length) parts.push(listSome(items) + '.');
  else parts.push(`Now at ${shortSha(r.commit_after)}; no resource changed.`);
  if (r.counts.auto_merged) parts.push(`${plural(r.counts.auto_merged, 'draft')} merged with the new version.`);
  if (r.counts.drafts_dissolved) parts.push(`${plural(r.counts.drafts_dissolved, 'draft')} already upstream.`);
  if (r.counts.conflicts) parts.push(`${plural(r.counts.conflicts, 'conflict')} to resolve.`);
  return {
    tone: r.counts.conflicts ? 'warn' : 'success',
    title: items.length ? `Pulled ${plural(items.length, 'change')} into ${r.fabric}` : `Pulled ${r.fabric}`,
    message: parts.join(' '),
  };
}

export function pushNotice(r: PushReport): Notice {
  if (!r.commit) return { tone: 'info', title: 'Nothing to push', message: 'The drafts matched what Git already has.' };
  const what = r.pushed.length ? plural(r.pushed.length, 'change') : 'changes';
  const pr = r.proposal_id != null ? ' A pull request was opened.' : '';
  const retried = r.retries ? ` (after ${plural(r.retries, 'retry', 'retries')})` : '';
  return {
    tone: 'success',
    title: `Pushed ${what} to ${r.branch}`,
    message: `Commit ${shortSha(r.commit)} on ${r.branch}${retried}.${pr}`,
  };
}

export function ingestCounts(documents: DocumentOutcome[]): Record<'managed' | 'unmanaged' | 'error' | 'invalid', number> {
  const c = { managed: 0, unmanaged: 0, error: 0, invalid: 0 };
  for (const d of documents) {
    c[d.outcome]++;
    if (d.invalid) c.invalid++;
  }
  return c;
}

export function ingestNotice(r: IngestReport): Notice {
  if (r.documents.length === 0) return { tone: 'info', title: 'Nothing to ingest', message: 'raw/ holds no documents.' };
  const c = ingestCounts(r.documents);
  const parts = [`${c.managed} managed`, `${c.unmanaged} unmanaged`];
  if (c.error) parts.push(`${plural(c.error, 'error')} (left in raw/)`);
  if (c.invalid) parts.push(`${c.invalid} invalid`);
  const commit = r.commit ? ` Commit ${shortSha(r.commit)}.` : ' No commit was needed.';
  return {
    tone: c.error || c.invalid ? 'warn' : 'success',
    title: `Ingested ${plural(r.documents.length, 'document')}`,
    message: `${parts.join(', ')}.${commit}`,
  };
}
