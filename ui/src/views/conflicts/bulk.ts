// What a bulk choice does to one conflict, in words, for the review dialog. The backend resolves
// a bulk choice as "take" does for a single conflict (docs/desktop-api.md): the chosen side wins
// at the conflicting fields only, so what one side alone changed survives either way. A conflict
// where one side deleted the resource has no fields to merge: the choice keeps it or deletes it.
import type { BulkChoice, Conflict, Side } from '../../lib/types';

/** The neutral names (as in VS Code's merge view) beside ours and theirs. */
export const SIDE_LABEL: Record<Side, string> = {
  ours: 'Local (current)',
  theirs: 'Upstream (incoming)',
};

export interface ChoiceEffect {
  /** What happens to the conflicting part. */
  decides: string;
  /** What is kept besides, or what is lost. */
  keeps: string;
  /** The choice deletes the resource (shown as a warning). */
  deletes: boolean;
}

export function choiceEffect(c: Conflict, take: Side): ChoiceEffect {
  // One side deleted it: test the texts rather than `type`, so add-add and any future type
  // with both texts get the field wording.
  if (c.ours_text === null) {
    return take === 'ours'
      ? { decides: 'Deletes the resource, as your draft did.', keeps: "Upstream's edits to it are dropped.", deletes: true }
      : { decides: 'Keeps the resource as upstream edited it.', keeps: 'Your delete is dropped.', deletes: false };
  }
  if (c.theirs_text === null) {
    return take === 'ours'
      ? { decides: 'Keeps the resource with your edits.', keeps: "Upstream's delete is dropped.", deletes: false }
      : { decides: 'Deletes the resource, as upstream did.', keeps: 'Your edits to it are dropped.', deletes: true };
  }
  const side = take === 'ours' ? 'your local version' : 'the upstream version';
  const decides = c.fields.length
    ? `Conflicting fields take ${side}: ${c.fields.join(', ')}.`
    : `The conflicting parts take ${side}.`;
  return { decides, keeps: 'Changes made on one side only are kept.', deletes: false };
}

/** The argument of `resolve_conflicts`, in the order the conflicts are listed. */
export function bulkChoices(conflicts: Conflict[], take: Record<number, Side>): BulkChoice[] {
  return conflicts.map((c) => ({ kind: c.kind, name: c.name, take: take[c.id] ?? 'ours' }));
}
