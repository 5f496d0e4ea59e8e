// What the merge editor draws in CodeMirror: in the result, a bar with the accept buttons above
// each conflict, line backgrounds and a gutter label for what one side alone changed; in the
// read-only side panes, the lines that side changed. The colours are classes styled in merge.css.
import { RangeSet, StateField, Text, type EditorState, type Extension, type Range } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, WidgetType, gutter, type DecorationSet } from '@codemirror/view';
import type { MergeRegion } from '../../lib/generated/MergeRegion';
import { changedOn, sideRanges, statusLabel, trackedRegions, type AcceptChoice, type ConflictStatus, type Side } from './merge';

export type AcceptHandler = (no: number, choice: AcceptChoice) => void;

/** The accept buttons' labels, VS Code's words: current is our draft, incoming is upstream. */
export const ACCEPT_LABEL: Record<AcceptChoice, string> = {
  ours: 'Accept current',
  theirs: 'Accept incoming',
  both: 'Accept both',
};

/** The same in the toolbar, where the line is short: the full label is the accessible name. */
export const ACCEPT_SHORT: Record<AcceptChoice, string> = {
  ours: 'Current',
  theirs: 'Incoming',
  both: 'Both',
};

export const ACCEPT_TITLE: Record<AcceptChoice, string> = {
  ours: 'Use the lines of your draft here',
  theirs: 'Use the lines from upstream here',
  both: 'Current lines, then incoming lines (for list items both sides added)',
};

/** The bar above a conflict in the result: which conflict, what became of it, the three accepts. */
class ConflictBar extends WidgetType {
  constructor(
    readonly no: number,
    readonly status: ConflictStatus,
    readonly empty: boolean,
    readonly onaccept: AcceptHandler,
  ) {
    super();
  }

  eq(other: ConflictBar): boolean {
    return other.no === this.no && other.status === this.status && other.empty === this.empty;
  }

  toDOM(): HTMLElement {
    const bar = document.createElement('div');
    bar.className = `cm-merge-bar cm-merge-status-${this.status}`;
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', `Conflict ${this.no}`);
    bar.dataset.testid = `merge-conflict-${this.no}`;
    // "Conflict N", the buttons, then what became of it: on a narrow result, the words at the
    // end are what the width cuts, never the buttons.
    const label = document.createElement('span');
    label.className = 'cm-merge-bar-label';
    label.textContent = `Conflict ${this.no}`;
    bar.append(label);
    for (const choice of ['ours', 'theirs', 'both'] as const) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `cm-merge-accept cm-merge-accept-${choice}`;
      button.textContent = ACCEPT_LABEL[choice];
      button.title = ACCEPT_TITLE[choice];
      button.dataset.testid = `merge-accept-${choice}-${this.no}`;
      button.setAttribute('aria-pressed', String(this.status === choice));
      button.addEventListener('click', () => this.onaccept(this.no, choice));
      bar.append(button);
    }
    const state = document.createElement('span');
    state.className = 'cm-merge-bar-hint';
    state.textContent =
      this.status === 'unresolved'
        ? this.empty
          ? 'both sides added lines here'
          : 'base lines shown until you choose'
        : `${statusLabel(this.status)} (Ctrl/⌘+Z undoes)`;
    bar.append(state);
    return bar;
  }

  // the buttons handle their own clicks and keys; CodeMirror leaves them alone
  ignoreEvent(): boolean {
    return true;
  }
}

/** The label in the origin gutter, on the first line of a region; the lines after get a plain bar. */
class OriginMarker extends GutterMarker {
  constructor(
    readonly text: string,
    readonly kind: string,
  ) {
    super();
    this.elementClass = `cm-merge-origin-${kind}`;
  }

  eq(other: OriginMarker): boolean {
    return other.text === this.text && other.kind === this.kind;
  }

  toDOM(): Node {
    return document.createTextNode(this.text);
  }
}

interface Origin {
  kind: string;
  label: string;
  title: string;
}

/** How a result line shows where it came from: a region's kind, or a conflict's status. */
function originOf(region: MergeRegion, status: ConflictStatus | null): Origin | null {
  if (status === 'unresolved') return { kind: 'conflict', label: 'conflict', title: 'Unresolved conflict: accept a side or edit these lines' };
  if (status === 'ours') return { kind: 'ours', label: 'current', title: 'Conflict: your draft taken' };
  if (status === 'theirs') return { kind: 'theirs', label: 'incoming', title: 'Conflict: upstream taken' };
  if (status === 'both') return { kind: 'both', label: 'both', title: 'Conflict: both sides taken' };
  if (status === 'edited') return { kind: 'edited', label: 'edited', title: 'Conflict: edited by hand' };
  if (region.kind === 'ours') return { kind: 'ours', label: 'draft', title: 'From your draft (only you changed this)' };
  if (region.kind === 'theirs') return { kind: 'theirs', label: 'upstream', title: 'From upstream (only upstream changed this)' };
  if (region.kind === 'same') return { kind: 'same', label: 'both', title: 'The same change on both sides' };
  return null;
}

interface ResultMarks {
  decorations: DecorationSet;
  gutter: RangeSet<GutterMarker>;
}

function resultMarks(state: EditorState, onaccept: AcceptHandler): ResultMarks {
  const decorations: Range<Decoration>[] = [];
  const markers: Range<GutterMarker>[] = [];
  for (const r of trackedRegions(state)) {
    if (r.status !== null) {
      const bar = new ConflictBar(r.no, r.status, r.from === r.to, onaccept);
      decorations.push(Decoration.widget({ widget: bar, block: true, side: -1 }).range(r.from));
    }
    const origin = originOf(r.source, r.status);
    if (!origin || r.to <= r.from) continue;
    const line = Decoration.line({ class: `cm-merge-line cm-merge-line-${origin.kind}`, attributes: { title: origin.title } });
    const first = state.doc.lineAt(r.from).number;
    const last = state.doc.lineAt(r.to - 1).number;
    for (let n = first; n <= last; n++) {
      const at = state.doc.line(n).from;
      decorations.push(line.range(at));
      markers.push(new OriginMarker(n === first ? origin.label : '', origin.kind).range(at));
    }
  }
  return { decorations: Decoration.set(decorations, true), gutter: RangeSet.of(markers, true) };
}

/** The result's marks, kept in step with the model's regions; `onaccept` runs an accept button. */
export function resultDecorations(onaccept: AcceptHandler): Extension {
  const marks = StateField.define<ResultMarks>({
    create: (state) => resultMarks(state, onaccept),
    update: (value, tr) => (tr.docChanged || tr.effects.length ? resultMarks(tr.state, onaccept) : value),
    provide: (f) => EditorView.decorations.from(f, (m) => m.decorations),
  });
  return [
    marks,
    gutter({
      class: 'cm-merge-origin-gutter',
      markers: (view) => view.state.field(marks).gutter,
      initialSpacer: () => new OriginMarker('upstream', 'spacer'),
    }),
  ];
}

/** A thin line where this side removed lines (nothing left to highlight). */
class GapMarker extends WidgetType {
  eq(): boolean {
    return true;
  }

  toDOM(): HTMLElement {
    const gap = document.createElement('div');
    gap.className = 'cm-merge-side-gap';
    gap.title = 'Lines removed here';
    return gap;
  }
}

/** A side pane's highlights: the lines this side changed, amber-edged where it conflicts. */
export function sideDecorations(regions: readonly MergeRegion[], side: Side, text: string): Extension {
  // regions and text come normalized to "\n" (normalizeRegions), as CodeMirror counts them
  const ranges = sideRanges(regions, side);
  const doc = Text.of(text.split('\n'));
  const decorations: Range<Decoration>[] = [];
  regions.forEach((region, i) => {
    if (!changedOn(region, side)) return;
    const { from, to } = ranges[i];
    if (from === to) {
      if (side !== 'base') decorations.push(Decoration.widget({ widget: new GapMarker(), block: true, side: -1 }).range(from));
      return;
    }
    const cls = `cm-merge-side cm-merge-side-${side}${region.kind === 'conflict' ? ' cm-merge-side-conflict' : ''}`;
    const line = Decoration.line({ class: cls });
    const last = doc.lineAt(to - 1).number;
    for (let n = doc.lineAt(from).number; n <= last; n++) decorations.push(line.range(doc.line(n).from));
  });
  return EditorView.decorations.of(Decoration.set(decorations, true));
}
