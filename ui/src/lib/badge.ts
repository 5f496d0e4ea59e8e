// The fabric status badge of the sidebar, from fabric_overview's badge and badge_count.
import type { Badge, Overview } from './types';
import { plural } from './format';

export type Tone = 'ok' | 'info' | 'warn' | 'danger' | 'muted';

export interface BadgeView {
  badge: Badge | 'loading' | 'unknown';
  label: string;
  tone: Tone;
}

export function badgeView(overview: Overview | null | undefined, failed = false): BadgeView {
  if (!overview) {
    return failed ? { badge: 'error', label: 'error', tone: 'danger' } : { badge: 'loading', label: '…', tone: 'muted' };
  }
  const n = overview.badge_count;
  switch (overview.badge) {
    case 'in-sync':
      return { badge: 'in-sync', label: 'in sync', tone: 'ok' };
    case 'local-changes':
      return { badge: 'local-changes', label: plural(n || overview.drafts, 'local change'), tone: 'info' };
    case 'behind':
      return { badge: 'behind', label: 'behind', tone: 'warn' };
    case 'conflicts':
      return { badge: 'conflicts', label: plural(n, 'conflict'), tone: 'danger' };
    case 'offline':
      return { badge: 'offline', label: 'offline', tone: 'muted' };
    case 'error':
      return { badge: 'error', label: 'error', tone: 'danger' };
    case 'never-synced':
      return { badge: 'never-synced', label: 'never synced', tone: 'muted' };
    default:
      return { badge: 'unknown', label: String(overview.badge), tone: 'muted' };
  }
}

/**
 * Since when the fabric's remote has been unreachable, for an offline overview: the failed check
 * that made the badge say "offline" (recorded once, when the remote stopped answering). Null when
 * the fabric is not offline or the time is unknown.
 */
export function offlineSince(overview: Overview | null | undefined): string | null {
  if (overview?.badge !== 'offline') return null;
  const op = overview.last_operation;
  if (!op || op.status !== 'failed' || op.error_code !== 'remote-unreachable') return null;
  return op.finished_at ?? op.started_at;
}

/** A moment in the recent past, briefly: the time of day today, else date and time. */
export function sinceText(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const time = t.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return t.toDateString() === now.toDateString() ? time : `${t.toLocaleDateString()} ${time}`;
}
