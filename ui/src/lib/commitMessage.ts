// The push dialog's prefilled commit message: a one-line summary and the list of changes.
import type { DraftDiff } from './types';

const ORDER: DraftDiff['change'][] = ['modified', 'created', 'deleted'];

export function summaryLine(fabric: string, changes: Pick<DraftDiff, 'change'>[]): string {
  const parts = ORDER.map((c) => [c, changes.filter((d) => d.change === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${c}`);
  return `hhsync: ${parts.length ? parts.join(', ') : 'no changes'} in fabric ${fabric}`;
}

export function commitMessage(fabric: string, changes: Pick<DraftDiff, 'change' | 'kind' | 'name'>[]): string {
  const sorted = [...changes].sort(
    (a, b) => ORDER.indexOf(a.change) - ORDER.indexOf(b.change) || `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`),
  );
  const lines = sorted.map((d) => `- ${d.change} ${d.kind}/${d.name}`);
  return [summaryLine(fabric, changes), '', ...lines].join('\n');
}
