// Presentation of operation_log entries: the counts summary, the status tone, a safe PR link,
// and what an operation changed and whether it may be reverted.
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
