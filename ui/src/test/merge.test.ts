// The merge editor's model (views/conflicts/merge.ts): the result built from diff3 regions, the
// accepts, the count of conflicts left, hand edits, range mapping, navigation and undo.
import { history, undo, redo } from '@codemirror/commands';
import type { EditorState, TransactionSpec } from '@codemirror/state';
import { describe, expect, test } from 'vitest';
import type { MergeRegion } from '../lib/generated/MergeRegion';
import {
  acceptConflict,
  acceptedText,
  canResolve,
  conflictAt,
  conflictsLeft,
  conflictsOf,
  createMergeState,
  initialResult,
  leftLabel,
  nextConflict,
  sideRanges,
} from '../views/conflicts/merge';

const r = (kind: MergeRegion['kind'], base: string, ours: string, theirs: string): MergeRegion => ({ kind, base, ours, theirs });

/**
 * base:   spec:/description: base/role: leaf/ports: a/mtu: 1500
 * ours:   description ours (conflict), ports: a+b ("ours" only), mtu unchanged
 * theirs: description theirs (conflict), role spine ("theirs" only), mtu 9000 (conflict)
 */
const REGIONS: MergeRegion[] = [
  r('unchanged', 'spec:\n', 'spec:\n', 'spec:\n'),
  r('conflict', '  description: base\n', '  description: ours\n', '  description: theirs\n'),
  r('theirs', '  role: leaf\n', '  role: leaf\n', '  role: spine\n'),
  r('ours', '  ports: a\n', '  ports: a\n  ports2: b\n', '  ports: a\n'),
  r('same', '', '  vlan: 10\n', '  vlan: 10\n'),
  r('conflict', '  mtu: 1500\n', '  mtu: 1400\n', '  mtu: 9000\n'),
];

const START = 'spec:\n  description: base\n  role: spine\n  ports: a\n  ports2: b\n  vlan: 10\n  mtu: 1500\n';

function apply(state: EditorState, spec: TransactionSpec): EditorState {
  return state.update(spec).state;
}

describe('the initial result', () => {
  test('has what one side alone changed (and the same change on both) applied, conflicts at their base', () => {
    expect(initialResult(REGIONS)).toBe(START);
    const state = createMergeState(REGIONS);
    expect(state.doc.toString()).toBe(START);
    expect(conflictsOf(state).map((c) => [c.no, c.status, state.sliceDoc(c.from, c.to)])).toEqual([
      [1, 'unresolved', '  description: base\n'],
      [2, 'unresolved', '  mtu: 1500\n'],
    ]);
  });

  test('the regions joined per side give each side back, so the panes can place them', () => {
    const ours = sideRanges(REGIONS, 'ours');
    const text = REGIONS.map((x) => x.ours).join('');
    expect(text.slice(ours[3].from, ours[3].to)).toBe('  ports: a\n  ports2: b\n');
    expect(sideRanges(REGIONS, 'base')[4]).toEqual({ from: 50, to: 50 });
  });
});

test('"\r\n" line endings count as CodeMirror counts them, so the ranges stay on their lines', () => {
  const crlf = [r('unchanged', 'a\r\n', 'a\r\n', 'a\r\n'), r('conflict', 'b\r\n', 'c\r\n', 'd\r\n'), r('unchanged', 'e\r\n', 'e\r\n', 'e\r\n')];
  let s = createMergeState(crlf);
  s = apply(s, acceptConflict(s, 1, 'theirs'));
  expect(s.doc.toString()).toBe('a\nd\ne\n');
});

describe('accepting', () => {
  test('current, incoming or both replaces the conflict with exactly that text', () => {
    const s = createMergeState(REGIONS);
    expect(apply(s, acceptConflict(s, 1, 'ours')).doc.toString()).toBe(START.replace('description: base', 'description: ours'));
    expect(apply(s, acceptConflict(s, 2, 'theirs')).doc.toString()).toBe(START.replace('mtu: 1500', 'mtu: 9000'));
    expect(apply(s, acceptConflict(s, 2, 'both')).doc.toString()).toBe(START.replace('  mtu: 1500\n', '  mtu: 1400\n  mtu: 9000\n'));
  });

  test('both keeps the lines apart when the current side ends the file without a line ending', () => {
    expect(acceptedText(r('conflict', 'a', 'b', 'c'), 'both')).toBe('b\nc');
    expect(acceptedText(r('conflict', 'a\n', 'b\n', 'c\n'), 'both')).toBe('b\nc\n');
  });

  test('the count goes down with each accept and Resolve waits for the last one (and for nothing busy)', () => {
    let s = createMergeState(REGIONS);
    expect(conflictsLeft(s)).toBe(2);
    expect(leftLabel(conflictsLeft(s))).toBe('2 conflicts left');
    expect(canResolve(s, false)).toBe(false);
    s = apply(s, acceptConflict(s, 2, 'theirs'));
    expect(leftLabel(conflictsLeft(s))).toBe('1 conflict left');
    expect(canResolve(s, false)).toBe(false);
    s = apply(s, acceptConflict(s, 1, 'both'));
    expect(leftLabel(conflictsLeft(s))).toBe('No conflicts left');
    expect(canResolve(s, false)).toBe(true);
    expect(canResolve(s, true)).toBe(false);
    expect(conflictsOf(s).map((c) => c.status)).toEqual(['both', 'theirs']);
    expect(s.doc.toString()).toBe(
      'spec:\n  description: ours\n  description: theirs\n  role: spine\n  ports: a\n  ports2: b\n  vlan: 10\n  mtu: 9000\n',
    );
  });

  test('an accept whose text equals the base placeholder still counts as handled', () => {
    const regions = [r('conflict', 'x: 1\n', 'x: 1\n', '')];
    const s = createMergeState(regions);
    const after = apply(s, acceptConflict(s, 1, 'ours'));
    expect(after.doc.toString()).toBe('x: 1\n');
    expect(conflictsLeft(after)).toBe(0);
  });
});

describe('editing by hand', () => {
  test('typing inside an open conflict marks it edited (handled)', () => {
    const s = createMergeState(REGIONS);
    const c = conflictsOf(s)[0];
    const after = apply(s, { changes: { from: c.from + 2, insert: '# ' } });
    expect(conflictsOf(after).map((x) => x.status)).toEqual(['edited', 'unresolved']);
    expect(conflictsLeft(after)).toBe(1);
  });

  test('typing elsewhere (also at the start of the line after a conflict) leaves it open', () => {
    const s = createMergeState(REGIONS);
    const c = conflictsOf(s)[0];
    const after = apply(s, { changes: { from: c.to, insert: '  # next line\n' } });
    expect(conflictsOf(after).map((x) => x.status)).toEqual(['unresolved', 'unresolved']);
  });

  test('an insertion right at an empty conflict (both sides added at the same place) counts and stays in it', () => {
    const regions = [r('unchanged', 'a\n', 'a\n', 'a\n'), r('conflict', '', 'b\n', 'c\n'), r('unchanged', 'd\n', 'd\n', 'd\n')];
    let s = createMergeState(regions);
    expect(s.doc.toString()).toBe('a\nd\n');
    const [c] = conflictsOf(s);
    expect([c.from, c.to]).toEqual([2, 2]);
    s = apply(s, { changes: { from: 2, insert: 'mine\n' } });
    const [edited] = conflictsOf(s);
    expect(edited.status).toBe('edited');
    expect(s.sliceDoc(edited.from, edited.to)).toBe('mine\n');
  });

  test('accepting an empty conflict puts the lines into its range, not into its neighbours', () => {
    const regions = [r('unchanged', 'a\n', 'a\n', 'a\n'), r('conflict', '', 'b\n', 'c\n'), r('conflict', 'd\n', 'e\n', 'f\n')];
    let s = createMergeState(regions);
    s = apply(s, acceptConflict(s, 1, 'both'));
    const [first, second] = conflictsOf(s);
    expect(s.sliceDoc(first.from, first.to)).toBe('b\nc\n');
    expect(s.sliceDoc(second.from, second.to)).toBe('d\n');
    expect(second.status).toBe('unresolved');
  });

  test('ranges follow edits made before them, so a later accept replaces the right lines', () => {
    let s = createMergeState(REGIONS);
    s = apply(s, { changes: { from: 0, insert: '# header\n# more\n' } });
    s = apply(s, { changes: { from: s.doc.toString().indexOf('  role'), to: s.doc.toString().indexOf('  ports:'), insert: '' } });
    const [c1, c2] = conflictsOf(s);
    expect(s.sliceDoc(c1.from, c1.to)).toBe('  description: base\n');
    expect(s.sliceDoc(c2.from, c2.to)).toBe('  mtu: 1500\n');
    s = apply(s, acceptConflict(s, 2, 'ours'));
    expect(s.doc.toString()).toBe('# header\n# more\nspec:\n  description: base\n  ports: a\n  ports2: b\n  vlan: 10\n  mtu: 1400\n');
    expect(conflictsOf(s).map((c) => c.status)).toEqual(['unresolved', 'ours']);
  });
});

describe('navigation', () => {
  const three = [
    r('conflict', 'a\n', 'a1\n', 'a2\n'),
    r('unchanged', 'x\n', 'x\n', 'x\n'),
    r('conflict', 'b\n', 'b1\n', 'b2\n'),
    r('unchanged', 'y\n', 'y\n', 'y\n'),
    r('conflict', 'c\n', 'c1\n', 'c2\n'),
  ];

  test('next and previous go through the conflicts and wrap around the ends', () => {
    const s = createMergeState(three);
    const at = (no: number) => conflictsOf(s)[no - 1].from;
    expect(nextConflict(s, at(1), 1)?.no).toBe(2);
    expect(nextConflict(s, at(2) + 1, 1)?.no).toBe(3);
    expect(nextConflict(s, at(3), 1)?.no).toBe(1);
    expect(nextConflict(s, at(1), -1)?.no).toBe(3);
    expect(nextConflict(s, at(3), -1)?.no).toBe(2);
    // between conflict 1 and 2 (on "x")
    expect(nextConflict(s, 2, 1)?.no).toBe(2);
    expect(nextConflict(s, 2, -1)?.no).toBe(1);
    expect(conflictAt(s, 2)).toBeNull();
  });

  test('skips the conflicts already handled while any is left', () => {
    let s = createMergeState(three);
    s = apply(s, acceptConflict(s, 2, 'ours'));
    expect(nextConflict(s, conflictsOf(s)[0].from, 1)?.no).toBe(3);
    s = apply(s, acceptConflict(s, 1, 'ours'));
    s = apply(s, acceptConflict(s, 3, 'ours'));
    expect(nextConflict(s, conflictsOf(s)[0].from, 1)?.no).toBe(2);
  });

  test('no conflicts, nowhere to go', () => {
    expect(nextConflict(createMergeState([r('ours', 'a\n', 'b\n', 'a\n')]), 0, 1)).toBeNull();
  });
});

describe('undo', () => {
  test('undoing an accept brings back the placeholder and the open status; redo takes it again', () => {
    let s = createMergeState(REGIONS, history());
    s = apply(s, acceptConflict(s, 1, 'theirs'));
    expect(conflictsLeft(s)).toBe(1);
    let undone: EditorState | null = null;
    undo({ state: s, dispatch: (tr) => (undone = tr.state) });
    expect(undone).not.toBeNull();
    s = undone!;
    expect(s.doc.toString()).toBe(START);
    expect(conflictsOf(s).map((c) => c.status)).toEqual(['unresolved', 'unresolved']);
    expect(conflictsLeft(s)).toBe(2);
    redo({ state: s, dispatch: (tr) => (s = tr.state) });
    expect(conflictsOf(s).map((c) => c.status)).toEqual(['theirs', 'unresolved']);
    expect(s.doc.toString()).toBe(START.replace('description: base', 'description: theirs'));
  });

  test('typing grouped into one undo step: one undo restores the text and the open status', () => {
    let s = createMergeState(REGIONS, history());
    const at = conflictsOf(s)[0].to - 1;
    s = apply(s, { changes: { from: at, insert: 'x' }, selection: { anchor: at + 1 }, userEvent: 'input.type' });
    s = apply(s, { changes: { from: at + 1, insert: 'y' }, selection: { anchor: at + 2 }, userEvent: 'input.type' });
    expect(s.doc.toString()).toBe(START.replace('description: base', 'description: basexy'));
    expect(conflictsLeft(s)).toBe(1);
    undo({ state: s, dispatch: (tr) => (s = tr.state) });
    expect(s.doc.toString()).toBe(START);
    expect(conflictsOf(s).map((c) => c.status)).toEqual(['unresolved', 'unresolved']);
  });

  test('undoing a hand edit of a conflict makes it open again', () => {
    let s = createMergeState(REGIONS, history());
    const c = conflictsOf(s)[1];
    s = apply(s, { changes: { from: c.from, to: c.to, insert: '  mtu: 9216\n' }, userEvent: 'input.type' });
    expect(conflictsLeft(s)).toBe(1);
    undo({ state: s, dispatch: (tr) => (s = tr.state) });
    expect(conflictsLeft(s)).toBe(2);
    expect(s.sliceDoc(conflictsOf(s)[1].from, conflictsOf(s)[1].to)).toBe('  mtu: 1500\n');
  });
});
