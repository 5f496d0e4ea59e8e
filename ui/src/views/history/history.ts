// Presentation of operation_log entries: the counts summary, the status tone and its words, a safe
// PR link, the resources a commit touched, and what an operation changed and whether it may be
// reverted.
import { KIND_OF_PLURAL } from '../../lib/kinds';
import type { FileChangeKind, JsonValue, Operation } from '../../lib/types';

/** The colour (a `tone-*` class of app.css) for an operation's status. */
export const STATUS_TONE: Record<Operation['status'], string> = {
  running: 'tone-info',
  succeeded: 'tone-ok',
  attention: 'tone-warn',
  failed: 'tone-danger',
  // the process doing it died (killed, crashed, power lost); the next operation settles it
  interrupted: 'tone-warn',
};

export function statusTone(status: string): string {
  return STATUS_TONE[status as Operation['status']] ?? 'tone-muted';
}

/** "added 1, changed 2, conflicts 1": the non-zero numbers (and true flags) of `counts`, in order. */
export function countsSummary(counts: JsonValue | undefined): string {
  const parts: string[] = [];
  if (!counts || typeof counts !== 'object' || Array.isArray(counts)) return '';
  for (const [key, value] of Object.entries(counts)) {
    const label = key.replace(/_/g, ' ');
    if (typeof value === 'number' && value !== 0) parts.push(`${label} ${value}`);
    else if (value === true) parts.push(label);
    else if (Array.isArray(value) && value.length) parts.push(`${label} ${value.length}`);
  }
  return parts.join(', ');
}

/** The PR address when it is a web link (nothing else becomes a clickable link). */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** "12 s", "3 min 4 s", "1 h 2 min" between two ISO times; '' when unknown. */
export function duration(from: string, to: string | null): string {
  if (!to) return '';
  const ms = Date.parse(to) - Date.parse(from);
  if (Number.isNaN(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Kinds whose commit hhsync can undo with a new commit. */
const REVERTIBLE_KINDS: ReadonlySet<Operation['kind']> = new Set(['push', 'ingest', 'revert']);

/**
 * Whether "Revert this" is offered: a push, ingest or revert that ended well (or with attention)
 * and made a commit. The backend still refuses what it cannot undo (drafts on the files, files
 * changed again since, a push to a proposal branch) with `revert-blocked`.
 */
export function canRevert(op: Operation): boolean {
  return (
    REVERTIBLE_KINDS.has(op.kind) &&
    (op.status === 'succeeded' || op.status === 'attention') &&
    !!op.commit_after &&
    op.commit_after !== op.commit_before
  );
}

/** What reverting operation `id` does to a file it changed: the change, in reverse. */
export function restoreText(file: { path: string; change: FileChangeKind }, id: number): string {
  switch (file.change) {
    case 'added':
      return `removes ${file.path} (added by #${id})`;
    case 'deleted':
      return `restores ${file.path} (deleted by #${id})`;
    default:
      return `restores ${file.path} as it was before #${id}`;
  }
}

/** "Switch/leaf-01 (managed/switches/leaf-01.yaml)", or the path alone for an unmanaged file. */
export function fileLabel(file: { path: string; resource: string | null }): string {
  return file.resource ? `${file.resource} (${file.path})` : file.path;
}

/** The first line of a commit message, and the rest (trimmed; '' when there is none). */
export function splitMessage(message: string | null): { subject: string; body: string } {
  const text = (message ?? '').trim();
  const nl = text.indexOf('\n');
  return nl < 0 ? { subject: text, body: '' } : { subject: text.slice(0, nl).trim(), body: text.slice(nl + 1).trim() };
}

/** A whole number from an operation's counts, 0 when absent. */
function count(counts: JsonValue | undefined, key: string): number {
  if (!counts || typeof counts !== 'object' || Array.isArray(counts)) return 0;
  const v = counts[key];
  return typeof v === 'number' ? v : 0;
}

/**
 * How an operation ended, in plain words: "done", "done, 2 documents need a look", "failed".
 * "attention" means it finished but left something for a person; what that is depends on the
 * kind (the engine sets it from these counts: src-tauri/engine/src/engine/{ingest,pull}.rs).
 */
export function outcomeText(op: Pick<Operation, 'kind' | 'status' | 'counts'>): string {
  switch (op.status) {
    case 'running':
      return 'running';
    case 'succeeded':
      return 'done';
    case 'failed':
      return 'failed';
    case 'interrupted':
      return 'interrupted before it finished';
    case 'attention': {
      const c = op.counts;
      if (op.kind === 'ingest') {
        const n = count(c, 'errors') + count(c, 'invalid');
        if (n) return `done, ${n} document${n === 1 ? '' : 's'} need${n === 1 ? 's' : ''} a look`;
      } else if (op.kind === 'pull') {
        const n = count(c, 'conflicts');
        if (n) return `done, ${n} conflict${n === 1 ? '' : 's'} to resolve`;
      } else if (op.kind === 'init') {
        const n = count(c, 'findings');
        if (n) return `done, ${n} finding${n === 1 ? '' : 's'} to check`;
      }
      return 'done, something needs a look';
    }
    default:
      return String(op.status);
  }
}

/** Whether the operation moved the fabric to a new commit (what operation_diff can show). */
export function madeCommit(op: Pick<Operation, 'commit_before' | 'commit_after'>): boolean {
  return !!op.commit_after && op.commit_after !== op.commit_before;
}

/** The resources (`Kind/name`) a commit's files are, in order, each once; unmanaged files left out. */
export function resourcesOf(files: { path: string; resource: string | null }[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    const r = f.resource ?? resourceOfPath(f.path);
    if (r) out.add(r);
  }
  return [...out];
}

/**
 * `Kind/name` from a GitOps path `…/managed/<plural>/<name>.yaml`, for a file the engine did not
 * name (it names every managed file it knows today; this keeps older answers readable).
 */
export function resourceOfPath(path: string): string | null {
  const m = /(?:^|\/)managed\/([^/]+)\/([^/]+)\.ya?ml$/.exec(path);
  const kind = m ? KIND_OF_PLURAL[m[1]] : undefined;
  return m && kind ? `${kind}/${m[2]}` : null;
}

/** "Ada Lovelace" from "Ada Lovelace <ada@example.org>": the address is noise in a list. */
export function authorName(author: string | null): string {
  return (author ?? '').replace(/\s*<[^>]*>\s*$/, '').trim();
}

/** Who started an operation, in words: "by you", "by the background check", … */
export function triggerText(trigger: Operation['trigger']): string {
  switch (trigger) {
    case 'user':
      return 'by you';
    case 'cli':
      return 'from the command line';
    case 'poll':
      return 'by the background check';
    case 'webhook':
      return 'by a webhook';
    default:
      return `by ${String(trigger)}`;
  }
}
