// The editor's own shortcuts, above CodeMirror's defaults: save, next/previous error.
import { nextDiagnostic, previousDiagnostic } from '@codemirror/lint';
import { Prec, type Extension } from '@codemirror/state';
import { keymap } from '@codemirror/view';

export const SHORTCUTS = [
  { keys: 'Ctrl/⌘+S', what: 'save the draft' },
  { keys: 'Ctrl/⌘+F', what: 'search (Enter: next match)' },
  { keys: 'F8 or Alt+↓', what: 'next error' },
  { keys: 'Shift+F8 or Alt+↑', what: 'previous error' },
  { keys: 'Esc then Tab', what: 'leave the editor with the keyboard' },
];

export function editorKeys(save: () => void): Extension {
  return Prec.highest(
    keymap.of([
      { key: 'Mod-s', run: () => (save(), true), preventDefault: true },
      { key: 'F8', run: nextDiagnostic, preventDefault: true },
      { key: 'Alt-ArrowDown', run: nextDiagnostic, preventDefault: true },
      { key: 'Shift-F8', run: previousDiagnostic, preventDefault: true },
      { key: 'Alt-ArrowUp', run: previousDiagnostic, preventDefault: true },
    ]),
  );
}
