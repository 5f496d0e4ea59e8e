// The resources table's layout and keys, apart from the component so they are tested directly.
import type { Row } from '../../lib/filter';

/**
 * Row height in px: dense enough for 30+ rows in a 900-px-high window (the sidebar-less area
 * left under the fabric header, tabs and search bar is about 700 px).
 */
export const ROW_HEIGHT = 22;

/** The grid's columns: Kind, Name (the width goes here), Status, then Live, File and Validation when shown. */
export function columnsOf(showFile: boolean, showIssues: boolean, showLive = false): string {
  // Kind and Status carry an icon before the word: room for "ExternalAttachment" and "conflict"
  const cols = ['minmax(110px, 170px)', 'minmax(200px, 3fr)', '96px'];
  // Live: an icon and "differs: 12 fields"
  if (showLive) cols.push('136px');
  if (showFile) cols.push('minmax(140px, 1.5fr)');
  if (showIssues) cols.push('minmax(140px, 1.5fr)');
  return cols.join(' ');
}

/** The Validation cell: empty for a valid row (nothing to say), else its errors and warnings. */
export function issuesText(row: Pick<Row, 'errors' | 'warnings'>): string {
  const parts = [];
  if (row.errors) parts.push(`${row.errors} error${row.errors === 1 ? '' : 's'}`);
  if (row.warnings) parts.push(`${row.warnings} warning${row.warnings === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** What a key does on a row: move by n rows, go to the first or last, open, show its live state (l), or nothing (null). */
export type Move = number | 'first' | 'last' | 'open' | 'live' | null;

export function moveOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>, page: number): Move {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'ArrowDown':
    case 'j':
      return 1;
    case 'ArrowUp':
    case 'k':
      return -1;
    case 'PageDown':
      return page;
    case 'PageUp':
      return -page;
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Enter':
      return 'open';
    case 'l':
      return 'live';
    default:
      return null;
  }
}
