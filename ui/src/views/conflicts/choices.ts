// The view a conflict's resolution starts in: the three-way merge editor whenever the engine could
// merge the two texts line by line (both sides still have the resource); otherwise per field when
// the conflict names its fields, else the text.
import type { Conflict } from '../../lib/types';

export type ResolveMode = 'merge' | 'fields' | 'text';

export function initialMode(c: Conflict): ResolveMode {
  if (c.merge_regions.length) return 'merge';
  return c.fields.length ? 'fields' : 'text';
}
