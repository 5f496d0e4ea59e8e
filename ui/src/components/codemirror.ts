// CodeMirror setup shared by the editor, the file viewer and the diff views: YAML, line numbers,
// search, and a theme made of the app's CSS variables (so it follows light and dark).
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, foldGutter, foldKeymap, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

export const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'var(--syn-key, #1f5fb3)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--syn-string, #1f7a3d)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--syn-number, #8a3ab9)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--fg-muted)', fontStyle: 'italic' },
  { tag: [t.meta, t.labelName, t.typeName, t.keyword], color: 'var(--syn-meta, #a0522d)' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: 'var(--fg-muted)' },
]);

export const theme = EditorView.theme({
  '&': { color: 'var(--fg)', backgroundColor: 'var(--bg)', height: '100%', fontSize: 'var(--text-md)' },
  '.cm-scroller': { fontFamily: 'var(--mono)' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-alt)', color: 'var(--fg-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--accent-soft)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--accent-mid)' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '-2px' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--selection) !important',
  },
  '.cm-panels': { backgroundColor: 'var(--bg-alt)', color: 'var(--fg)' },
  '.cm-panels input, .cm-panels button': { color: 'var(--fg)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg)', border: '1px solid var(--border)', color: 'var(--fg)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warn)' },
  // diffs: the unified view (the editor against Git) and both sides of a MergeView
  '&.cm-merge-b .cm-changedLine, &:not(.cm-merge-a) .cm-changedLine': { backgroundColor: 'var(--diff-add) !important' },
  '&.cm-merge-a .cm-changedLine, .cm-deletedChunk': { backgroundColor: 'var(--diff-del) !important' },
  '&.cm-merge-b .cm-changedText, &:not(.cm-merge-a) .cm-changedText': { background: 'var(--diff-add-strong) !important' },
  '&.cm-merge-a .cm-changedText, .cm-deletedChunk .cm-deletedText': { background: 'var(--diff-del-strong) !important' },
  // The merge view's folded unchanged lines: @codemirror/merge frames the text with "⦚" (U+29DA),
  // which DejaVu (the only font of the Linux web view on a bare system) lacks, so it showed as
  // empty boxes. "⋯" (U+22EF) is in DejaVu Sans and Sans Mono; the bar takes the app's colours.
  // !important: the package's own light/dark rules carry one class more than a theme's.
  '.cm-collapsedLines': {
    color: 'var(--fg-muted) !important',
    background: 'var(--bg-alt) !important',
    borderTop: '1px solid var(--border)',
    borderBottom: '1px solid var(--border)',
    fontFamily: 'var(--mono)',
    fontSize: 'var(--text-sm)',
    padding: '2px 10px',
  },
  '.cm-collapsedLines:hover': { color: 'var(--accent) !important' },
  '.cm-collapsedLines:before': { content: '"⋯" !important', marginInlineEnd: '8px', fontSize: 'var(--text-lg)', lineHeight: '1' },
  '.cm-collapsedLines:after': { content: '"(click to show)" !important', marginInlineStart: '8px', opacity: '0.8' },
});

/** YAML with line numbers, folding, search and history; `readOnly` for viewers. */
export function yamlSetup(readOnly = false): Extension[] {
  const common: Extension[] = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    foldGutter(),
    drawSelection(),
    syntaxHighlighting(highlight),
    highlightSelectionMatches(),
    search({ top: true }),
    yaml(),
    theme,
  ];
  if (readOnly) {
    return [...common, EditorState.readOnly.of(true), keymap.of([...searchKeymap, ...foldKeymap, ...defaultKeymap])];
  }
  return [
    ...common,
    history(),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    EditorState.tabSize.of(2),
    keymap.of([...searchKeymap, ...historyKeymap, ...foldKeymap, ...defaultKeymap, indentWithTab]),
  ];
}
