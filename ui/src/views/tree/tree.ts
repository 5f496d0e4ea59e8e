// The fabric's files (fabric_tree, a flat sorted list) as a nested tree with status marks and,
// per folder, how many files it holds. `.gitkeep` files (placeholders that keep an empty kind
// folder in Git) are not shown: their folder is, with nothing in it.
import type { DocumentOutcome, TreeEntry } from '../../lib/types';

export interface TreeNode {
  name: string;
  path: string;
  entry: TreeEntry | null; // null for a directory
  children: TreeNode[];
  /** Files below (or this file) whose status is not synced, for the directory's mark. */
  attention: number;
  /** Files below, at any depth (1 for a file), `.gitkeep` not counted. */
  files: number;
}

/** Placeholders Git needs for an empty folder; nothing to read or edit. */
export function isPlaceholder(path: string): boolean {
  return path === '.gitkeep' || path.endsWith('/.gitkeep');
}

export function buildTree(entries: TreeEntry[]): TreeNode {
  const root: TreeNode = { name: '', path: '', entry: null, children: [], attention: 0, files: 0 };
  const dirs = new Map<string, TreeNode>([['', root]]);
  const dirOf = (path: string): TreeNode => {
    let node = dirs.get(path);
    if (node) return node;
    const cut = path.lastIndexOf('/');
    const parent = dirOf(cut < 0 ? '' : path.slice(0, cut));
    node = { name: path.slice(cut + 1), path, entry: null, children: [], attention: 0, files: 0 };
    parent.children.push(node);
    dirs.set(path, node);
    return node;
  };
  for (const entry of entries) {
    const cut = entry.path.lastIndexOf('/');
    const parent = dirOf(cut < 0 ? '' : entry.path.slice(0, cut));
    if (isPlaceholder(entry.path)) continue;
    const attention = needsAttention(entry) ? 1 : 0;
    parent.children.push({ name: entry.path.slice(cut + 1), path: entry.path, entry, children: [], attention, files: 1 });
  }
  sortAndCount(root);
  return root;
}

function sortAndCount(node: TreeNode): void {
  node.children.sort((a, b) => (!a.entry === !b.entry ? a.name.localeCompare(b.name) : a.entry ? 1 : -1));
  if (node.entry) return;
  for (const c of node.children) sortAndCount(c);
  node.attention = node.children.reduce((n, c) => n + c.attention, 0);
  node.files = node.children.reduce((n, c) => n + c.files, 0);
}

export function needsAttention(e: TreeEntry): boolean {
  return e.role === 'raw' || e.role === 'stray' || (!!e.status && e.status !== 'synced');
}

/** A one-character mark and its meaning, for a file of the tree. */
export function markOf(e: TreeEntry): { mark: string; title: string; tone: string } {
  if (e.status && e.status !== 'synced') {
    const marks: Record<string, string> = { modified: 'M', new: 'N', deleted: 'D', conflict: 'C', invalid: '!' };
    return { mark: marks[e.status] ?? '?', title: e.status, tone: `status-${e.status}` };
  }
  switch (e.role) {
    case 'raw':
      return { mark: 'R', title: 'raw: waiting to be ingested', tone: 'status-modified' };
    case 'archived':
      return { mark: 'A', title: 'archived raw file (already ingested)', tone: 'muted' };
    case 'unmanaged':
      return { mark: 'U', title: `unmanaged${e.reason ? `: ${e.reason}` : ''}`, tone: 'status-conflict' };
    case 'stray':
      return { mark: '?', title: 'a file where it does not belong', tone: 'status-invalid' };
    case 'structure':
      return { mark: '', title: 'structure metadata', tone: 'muted' };
    default:
      return { mark: e.status ? '✓' : '', title: e.status ?? e.role, tone: 'status-synced' };
  }
}

/** The directories to open so `path` is visible. */
export function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Whether a document of an ingest report comes from the tree file `path` (paths may differ by prefix). */
export function sameFile(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

export function documentsOf(documents: DocumentOutcome[], path: string): DocumentOutcome[] {
  return documents.filter((d) => sameFile(d.file, path));
}
