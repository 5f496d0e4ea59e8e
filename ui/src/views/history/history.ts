// Presentation of operation_log entries: the counts summary, the status tone, a safe PR link.
import type { JsonValue, Operation } from '../../lib/types';

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
