// Validation issues (check_text, save_draft) as CodeMirror diagnostics on the field's line.
import type { Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import type { Issue, TextCheck } from '../../lib/types';
import { indexLines, lineOfPath } from '../../lib/yamlPath';

export interface PlacedIssue extends Issue {
  /** 1-based line the issue is shown at. */
  at: number;
}

/** Each issue with the line it belongs to: its own `line`, else its field path's line, else 1. */
export function placeIssues(doc: Text, check: TextCheck): PlacedIssue[] {
  const text = doc.toString();
  let index: Map<string, number> | undefined;
  const place = (issue: Issue): PlacedIssue => {
    let at = issue.line ?? null;
    if (at == null) {
      index ??= indexLines(text);
      at = lineOfPath(text, issue.path, index);
    }
    return { ...issue, at: Math.min(Math.max(1, at ?? 1), doc.lines) };
  };
  const placed = [...check.errors.map(place), ...check.warnings.map(place)];
  placed.sort((a, b) => a.at - b.at || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return placed;
}

export function toDiagnostics(doc: Text, check: TextCheck): Diagnostic[] {
  return placeIssues(doc, check).map((issue) => {
    const line = doc.line(issue.at);
    const indent = line.text.length - line.text.trimStart().length;
    const from = line.from + Math.min(indent, line.length);
    const to = line.to > from ? line.to : from;
    const where = issue.path && issue.path !== '(document)' ? `${issue.path}: ` : '';
    return {
      from,
      to,
      severity: issue.severity === 'warning' ? 'warning' : 'error',
      message: `${where}${issue.message}`,
      source: issue.rule,
    };
  });
}
