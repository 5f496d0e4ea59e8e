// The three-way merge editor's model, with no DOM so Vitest can run it: the result document built
// from the engine's diff3 regions, where each region lies in that document as the user edits it,
// and which conflicts are still undecided. It lives in an EditorState (a StateField), so the
// editor, its undo history and the tests all see one truth.
import { invertedEffects, isolateHistory } from '@codemirror/commands';
import { EditorSelection, EditorState, StateEffect, StateField, type Extension, type TransactionSpec } from '@codemirror/state';
import type { MergeRegion } from '../../lib/generated/MergeRegion';

/** What became of a conflict: still open, a side (or both) accepted, or changed by hand. */
export type ConflictStatus = 'unresolved' | 'ours' | 'theirs' | 'both' | 'edited';
export type AcceptChoice = 'ours' | 'theirs' | 'both';

/** One region of the merge and where it lies in the result document now. */
export interface TrackedRegion {
  /** Index in the engine's `merge_regions`. */
  readonly index: number;
  readonly source: MergeRegion;
  readonly from: number;
  readonly to: number;
  /** Conflicts only: 1-based number in document order (0 for other regions). */
  readonly no: number;
  /** Conflicts only; null for the regions the merge decided by itself. */
  readonly status: ConflictStatus | null;
}

export type TrackedConflict = TrackedRegion & { readonly status: ConflictStatus };

/**
 * The regions with "\n" line endings. CodeMirror keeps a document's lines apart from their breaks
 * (a "\r\n" is one position less in it than in the string), so offsets counted on raw texts would
 * drift; the result is sent with "\n", which the engine parses alike.
 */
export function normalizeRegions(regions: readonly MergeRegion[]): MergeRegion[] {
  const lf = (t: string) => (t.includes('\r') ? t.replace(/\r\n?/g, '\n') : t);
  return regions.map((r) => ({ kind: r.kind, base: lf(r.base), ours: lf(r.ours), theirs: lf(r.theirs) }));
}

/** The result document as the merge starts: every region decided except the conflicts. */
export function initialResult(regions: readonly MergeRegion[]): string {
  return regions.map(initialText).join('');
}

/**
 * What a region contributes before anyone chooses: the shared text, the one side's change, or for
 * a conflict its base text as a placeholder (empty when both sides inserted at the same place).
 */
function initialText(r: MergeRegion): string {
  switch (r.kind) {
    case 'unchanged':
      return r.base;
    case 'ours':
    case 'same':
      return r.ours;
    case 'theirs':
      return r.theirs;
    case 'conflict':
      return r.base;
  }
}

/** The text an accept puts in place of a conflict. "Both" is current lines, then incoming lines. */
export function acceptedText(r: MergeRegion, choice: AcceptChoice): string {
  if (choice === 'ours') return r.ours;
  if (choice === 'theirs') return r.theirs;
  // ours may be the last line of the file, without its line ending: keep the lines apart
  const joint = r.ours && r.theirs && !r.ours.endsWith('\n') ? '\n' : '';
  return r.ours + joint + r.theirs;
}

const acceptEffect = StateEffect.define<{ index: number; choice: AcceptChoice }>();

/**
 * Puts back the regions as they were before a transaction; undo and redo carry it. Why a snapshot
 * rather than deriving the status from the text: accepting a side whose text equals the base
 * placeholder (or typing the base back) must still count as handled, which no comparison can tell.
 * The snapshot is exact because undo brings back the very document it was taken on. When history
 * joins several transactions into one event, their effects come newest first, so the last
 * snapshot of a transaction is the oldest: the one that matches the document undo restores.
 */
const restoreEffect = StateEffect.define<readonly TrackedRegion[]>();

/**
 * Does a change of the old document, [fromA, toA], touch this conflict? An insertion counts when it
 * is on the conflict's own lines (at its start, not at its end: that is the next line's start);
 * for an empty conflict (both sides inserted where base had nothing), an insertion right at it.
 */
function touches(r: TrackedRegion, fromA: number, toA: number): boolean {
  if (r.from === r.to) return fromA === r.from || (fromA < r.from && toA > r.from);
  if (fromA === toA) return fromA >= r.from && fromA < r.to;
  return fromA < r.to && toA > r.from;
}

const regionsField = StateField.define<readonly TrackedRegion[]>({
  create: () => [],
  update(regions, tr) {
    let restored: readonly TrackedRegion[] | null = null;
    const accepts = new Map<number, AcceptChoice>();
    for (const e of tr.effects) {
      if (e.is(restoreEffect)) restored = e.value;
      else if (e.is(acceptEffect)) accepts.set(e.value.index, e.value.choice);
    }
    if (restored) return restored;
    if (!tr.docChanged && accepts.size === 0) return regions;

    const touched = new Set<number>();
    tr.changes.iterChangedRanges((fromA, toA) => {
      const hit = regions.filter((r) => r.status !== null && touches(r, fromA, toA));
      // an insertion where an empty conflict sits goes into it, not into the conflict after it
      const empty = fromA === toA ? hit.find((r) => r.from === r.to) : undefined;
      for (const r of empty ? [empty] : hit) touched.add(r.index);
    });
    // Boundaries map to the left, so text typed at a boundary joins the region that starts
    // there (the line it is on); an empty conflict that was touched keeps what went into it.
    // Regions stay in order and never overlap: each starts where the previous one ends at least.
    let previousEnd = 0;
    return regions.map((r) => {
      const grows = r.from === r.to && (touched.has(r.index) || accepts.has(r.index));
      const from = Math.max(tr.changes.mapPos(r.from, -1), previousEnd);
      const to = Math.max(tr.changes.mapPos(r.to, grows ? 1 : -1), from);
      previousEnd = to;
      const status = accepts.get(r.index) ?? (touched.has(r.index) ? 'edited' : r.status);
      return from === r.from && to === r.to && status === r.status ? r : { ...r, from, to, status };
    });
  },
});

/** The model's extension for a result state: its regions, and their history through undo/redo. */
export function mergeModel(raw: readonly MergeRegion[]): Extension {
  const regions = normalizeRegions(raw);
  let at = 0;
  let no = 0;
  const tracked = regions.map((source, index): TrackedRegion => {
    const from = at;
    at += initialText(source).length;
    const conflict = source.kind === 'conflict';
    return { index, source, from, to: at, no: conflict ? ++no : 0, status: conflict ? 'unresolved' : null };
  });
  return [
    regionsField.init(() => tracked),
    invertedEffects.of((tr) => {
      const before = tr.startState.field(regionsField, false);
      return before && before !== tr.state.field(regionsField, false) ? [restoreEffect.of(before)] : [];
    }),
  ];
}

/** A result state for these regions, with the editor's (or a test's) own extensions. */
export function createMergeState(regions: readonly MergeRegion[], extensions: Extension = []): EditorState {
  return EditorState.create({ doc: initialResult(normalizeRegions(regions)), extensions: [mergeModel(regions), extensions] });
}

export function trackedRegions(state: EditorState): readonly TrackedRegion[] {
  return state.field(regionsField, false) ?? [];
}

/** The conflicts, in document order. */
export function conflictsOf(state: EditorState): TrackedConflict[] {
  return trackedRegions(state).filter((r): r is TrackedConflict => r.status !== null);
}

export function conflictsLeft(state: EditorState): number {
  return conflictsOf(state).filter((c) => c.status === 'unresolved').length;
}

/** "2 conflicts left" / "1 conflict left" / "No conflicts left". */
export function leftLabel(left: number): string {
  return left === 0 ? 'No conflicts left' : `${left} conflict${left === 1 ? '' : 's'} left`;
}

/** Resolve is offered once every conflict has been handled, and nothing is under way. */
export function canResolve(state: EditorState, busy: boolean): boolean {
  return !busy && conflictsLeft(state) === 0;
}

/** The transaction accepting a side (or both) for conflict `no`; one undo step of its own. */
export function acceptConflict(state: EditorState, no: number, choice: AcceptChoice): TransactionSpec {
  const c = conflictsOf(state).find((x) => x.no === no);
  if (!c) return {};
  const insert = acceptedText(c.source, choice);
  return {
    changes: { from: c.from, to: c.to, insert },
    effects: acceptEffect.of({ index: c.index, choice }),
    selection: EditorSelection.cursor(c.from),
    annotations: isolateHistory.of('full'),
    userEvent: 'input.merge',
  };
}

/** The conflict whose lines hold `pos`: from its start up to, not including, its end (the next line). */
export function conflictAt(state: EditorState, pos: number): TrackedConflict | null {
  // an empty conflict holds only its own position
  return conflictsOf(state).find((c) => c.from <= pos && (pos < c.to || pos === c.from)) ?? null;
}

/**
 * The next (dir 1) or previous (dir -1) conflict from `pos`, wrapping around the ends. Only the
 * undecided ones while any are left, as there is nothing else to do; all of them after that.
 */
export function nextConflict(state: EditorState, pos: number, dir: 1 | -1): TrackedConflict | null {
  const all = conflictsOf(state);
  const open = all.filter((c) => c.status === 'unresolved');
  const pool = open.length ? open : all;
  if (!pool.length) return null;
  // from inside a conflict, the next one is after it and the previous one before it
  const ref = conflictAt(state, pos)?.from ?? pos;
  if (dir === 1) return pool.find((c) => c.from > ref) ?? pool[0];
  return [...pool].reverse().find((c) => c.from < ref) ?? pool[pool.length - 1];
}

export type Side = 'base' | 'ours' | 'theirs';

/** Where each region lies in one side's text (the regions' texts joined give that side back). */
export function sideRanges(regions: readonly MergeRegion[], side: Side): { from: number; to: number }[] {
  let at = 0;
  return regions.map((r) => {
    const from = at;
    at += r[side].length;
    return { from, to: at };
  });
}

/** Did this side change the region (so its pane highlights it)? */
export function changedOn(r: MergeRegion, side: Side): boolean {
  if (r.kind === 'unchanged') return false;
  if (side === 'base') return true;
  return r.kind === 'conflict' || r.kind === 'same' || r.kind === side;
}

/** The words for what became of a conflict, as its widget and the toolbar say it. */
export function statusLabel(status: ConflictStatus): string {
  switch (status) {
    case 'unresolved':
      return 'unresolved';
    case 'ours':
      return 'current taken';
    case 'theirs':
      return 'incoming taken';
    case 'both':
      return 'both taken';
    case 'edited':
      return 'edited by hand';
  }
}
