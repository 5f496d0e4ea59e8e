// What runs on the fabric's cluster, in the UI's words: a drift state as the Live column says it,
// the resource table's rows joined with the drift report (and the rows of resources only on the
// cluster), the counts per state, the cluster's reachability, and what the switches' agents and
// LLDP say is wrong. Pure functions, so the screens agree and tests call them directly.
import { compareRows, type Row } from './filter';
import { plural } from './format';
import type { ClusterLink, ClusterState, DriftReport, DriftState, LinkCheck, ResourceDrift, SwitchLive } from './types';
import { DRIFT_STATES } from './types';

/** Each state in a few words (the filter's options, the overview's count labels). */
export const DRIFT_LABELS: Record<DriftState, string> = {
  'in-sync': 'in sync',
  differs: 'differs',
  'not-applied': 'not applied',
  'only-on-cluster': 'only on cluster',
  unknown: 'unknown',
};

/** What one resource's Live cell says: "in sync", "differs: 2 fields", "not applied"… */
export function driftText(drift: Pick<ResourceDrift, 'state' | 'fields'>): string {
  if (drift.state === 'differs' && drift.fields.length) return `differs: ${plural(drift.fields.length, 'field')}`;
  return DRIFT_LABELS[drift.state];
}

/** A longer sentence for the drift panel and tooltips. */
export function driftSentence(drift: Pick<ResourceDrift, 'state' | 'fields' | 'reason' | 'against_draft'>): string {
  const wanted = drift.against_draft ? 'the draft' : 'Git';
  switch (drift.state) {
    case 'in-sync':
      return `What runs matches ${wanted}.`;
    case 'differs':
      return `What runs differs from ${wanted}${drift.fields.length ? ` in ${plural(drift.fields.length, 'field')}` : ''}.`;
    case 'not-applied':
      return `${drift.against_draft ? 'The draft' : 'Git'} has it; the cluster does not run it (yet).`;
    case 'only-on-cluster':
      return 'It runs on the cluster, but neither Git nor a draft has it. Adopt it as a draft to bring it into Git.';
    case 'unknown':
      return `Unknown${drift.reason ? `: ${drift.reason}` : ': the cluster was not read yet'}.`;
  }
}

/** A row for a resource only on the cluster: no status, no file; it opens the drift panel. */
export function clusterOnlyRow(drift: ResourceDrift): Row {
  const id = `${drift.kind}/${drift.name}`;
  return {
    id,
    kind: drift.kind,
    name: drift.name,
    status: null,
    path: '',
    errors: 0,
    warnings: 0,
    note: '',
    key: [drift.kind, drift.name, id, 'only on cluster'].join('\u0001').toLowerCase(),
    resource: null,
    drift,
  };
}

/**
 * The table's rows with each one's live state, and the rows of resources only on the cluster
 * merged in at their place in the table's order (`compareRows`). Without a report: the rows as
 * they are. A row the report does not name stays without a state (shown as unknown).
 */
export function withLive(rows: Row[], report: DriftReport | null): Row[] {
  if (!report) return rows;
  const byId = new Map<string, ResourceDrift>();
  const extra: Row[] = [];
  for (const d of report.resources) {
    if (d.state === 'only-on-cluster') extra.push(clusterOnlyRow(d));
    else byId.set(`${d.kind}/${d.name}`, d);
  }
  const joined = rows.map((r) => {
    const drift = byId.get(r.id);
    return drift ? { ...r, drift } : r;
  });
  if (!extra.length) return joined;
  const known = new Set(rows.map((r) => r.id));
  const added = extra.filter((r) => !known.has(r.id)).sort(compareRows);
  const out: Row[] = [];
  let i = 0;
  for (const row of joined) {
    while (i < added.length && compareRows(added[i], row) < 0) out.push(added[i++]);
    out.push(row);
  }
  while (i < added.length) out.push(added[i++]);
  return out;
}

/** How many resources are in each state. */
export function driftCounts(report: DriftReport): Record<DriftState, number> {
  const counts = Object.fromEntries(DRIFT_STATES.map((s) => [s, 0])) as Record<DriftState, number>;
  for (const r of report.resources) counts[r.state]++;
  return counts;
}

/** "Kind/name" of every resource only on the cluster (what Adopt all adopts). */
export function clusterOnly(report: DriftReport | null): string[] {
  return (report?.resources ?? []).filter((r) => r.state === 'only-on-cluster').map((r) => `${r.kind}/${r.name}`);
}

/** "45 s", "3 min", "2 h", "4 days". */
export function ageText(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return plural(Math.round(seconds / 86400), 'day');
}

/** The switches that need a look: agent stale or missing, or the current configuration not applied. */
export function switchesToCheck(report: DriftReport): SwitchLive[] {
  return report.switches.filter((s) => s.agent !== 'alive' || !s.applied);
}

/** What is wrong with a switch, in words: "agent stale (last heartbeat 6 min ago); not applied yet". */
export function switchProblem(s: SwitchLive): string {
  const parts: string[] = [];
  const heartbeat = s.heartbeat_age_s === null ? '' : ` (last heartbeat ${ageText(s.heartbeat_age_s)} ago)`;
  if (s.agent === 'stale') parts.push(`agent stale${heartbeat}`);
  else if (s.agent === 'missing') parts.push('no agent reports');
  if (!s.applied) parts.push('has not applied its current configuration');
  return parts.join('; ');
}

/** A link whose LLDP neighbor is not the one Git names, with its switch. */
export interface MiscabledLink {
  switch: string;
  link: LinkCheck;
}

export function miscabled(report: DriftReport): MiscabledLink[] {
  return report.switches.flatMap((s) => s.links.filter((l) => l.lldp === 'wrong').map((link) => ({ switch: s.name, link })));
}

/** "leaf-01 E1/3 sees leaf-03/E1/3, Git says leaf-02/E1/3". */
export function cablingText({ switch: name, link }: MiscabledLink): string {
  return `${name} ${link.port} sees ${link.seen ?? 'no neighbor'}, Git says ${link.expected}`;
}

/** Why the cluster was not read, in words, for a state other than reachable. */
export const CLUSTER_PROBLEMS: Record<Exclude<ClusterState, 'reachable'>, string> = {
  unreachable: 'Cluster unreachable',
  unauthorized: "The cluster refused the kubeconfig's credentials",
  forbidden: "The kubeconfig's user may not read the fabric's resources",
};

/** What to do about it. */
export const CLUSTER_ADVICE: Record<Exclude<ClusterState, 'reachable'>, string> = {
  unreachable: 'Check the network or VPN to the cluster, then Read now.',
  unauthorized: 'Renew the credentials in the kubeconfig (an expired token or certificate?), then Read now.',
  forbidden: "Give the kubeconfig's user read access to the Hedgehog resources in the namespace, then Read now.",
};

/** The link in one line: "~/.kube/fabric.yaml · context prod · namespace default". */
export function linkSummary(link: ClusterLink): string {
  const context = link.context ? `context ${link.context}` : "the kubeconfig's current context";
  return `${link.kubeconfig} · ${context} · namespace ${link.namespace || 'default'}`;
}
