// Finds the line of a field path ("spec.vlan", "spec.ports[1]", `spec.subnets["a.b"]`, "(document)")
// in a YAML document's text, for issues the backend reports without a line. Block style only, best
// effort: when the path is not there, the line of its longest prefix that is.

export type Segment = string | number;

export function parsePath(path: string): Segment[] {
  if (!path || path === '(document)') return [];
  const out: Segment[] = [];
  const re = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(m[2].replace(/\\(.)/g, '$1'));
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

const id = (segments: Segment[]) => segments.map((s) => (typeof s === 'number' ? `#${s}` : `.${s}`)).join('\u0000');

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s:#'"\-?][^:#]*?|-[^\s:#][^:#]*?))\s*:(?:\s+(.*))?$/;

interface Frame {
  col: number;
  path: Segment[];
  seq: boolean;
  next: number; // next sequence index
}

/** Every mapping key and sequence item of the text, by path, with its 1-based line. */
export function indexLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const stack: Frame[] = [];
  let pending: Segment[] | null = null; // a key (or item) with no inline value: its children follow
  let scalarCol = -1; // inside a block scalar (| or >) whose key sits at this column
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i];
    const body = line.trimStart();
    const col = line.length - body.length;
    if (scalarCol >= 0) {
      if (!body || col > scalarCol) continue;
      scalarCol = -1;
    }
    if (!body || body.startsWith('#') || body === '---' || body === '...') continue;
    const dash = body === '-' || body.startsWith('- ');
    while (stack.length && stack[stack.length - 1].col > col) stack.pop();
    let top = stack[stack.length - 1];
    if (top && top.col === col && top.seq && !dash) {
      stack.pop(); // "key:\n- a\nnext:" — the sequence at the key's own column ends
      top = stack[stack.length - 1];
    }
    if (!top || top.col < col || (dash && !top.seq && pending)) {
      top = { col, path: pending ?? top?.path ?? [], seq: dash, next: 0 };
      stack.push(top);
    }
    pending = null;
    let rest = body;
    let restCol = col;
    let frame = top;
    if (dash) {
      if (!frame.seq) continue; // a stray dash where a mapping is: not ours to understand
      const itemPath = [...frame.path, frame.next++];
      lines.set(id(itemPath), i + 1);
      const after = body.slice(1);
      const item = after.trimStart();
      if (!item || item.startsWith('#')) {
        pending = itemPath;
        continue;
      }
      restCol = col + 1 + (after.length - item.length);
      rest = item;
      frame = { col: restCol, path: itemPath, seq: false, next: 0 };
      stack.push(frame);
    }
    const m = KEY.exec(rest);
    if (!m) continue;
    const key = m[1] ?? m[2] ?? m[3];
    const value = (m[4] ?? '').trim();
    const keyPath = [...frame.path, key];
    lines.set(id(keyPath), i + 1);
    if (!value || value.startsWith('#')) pending = keyPath;
    else if (/^[|>][-+0-9]*\s*(#.*)?$/.test(value)) scalarCol = restCol;
  }
  return lines;
}

/** 1-based line of `path` in `text`; null when not even its first segment is there. */
export function lineOfPath(text: string, path: string, index: Map<string, number> = indexLines(text)): number | null {
  const segments = parsePath(path);
  for (let n = segments.length; n > 0; n--) {
    const line = index.get(id(segments.slice(0, n)));
    if (line !== undefined) return line;
  }
  return null;
}
