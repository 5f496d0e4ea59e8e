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
