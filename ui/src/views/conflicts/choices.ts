// The starting choices of a conflict's resolution view. A change only one side made is
// preselected from that side, so resolving with the defaults never undoes it; per field is the
// default view when the conflict names its fields.
import type { Conflict } from '../../lib/types';

export function initialHunkChoices(c: Conflict): Record<string, 'old' | 'new'> {
  return Object.fromEntries(c.ours_vs_theirs.map((h) => [h.id, c.hunk_origins?.[h.id] === 'theirs' ? 'new' : 'old']));
}

export function initialMode(c: Conflict): 'hunks' | 'fields' | 'text' {
  if (c.fields.length) return 'fields';
  return c.ours_vs_theirs.length ? 'hunks' : 'text';
}
