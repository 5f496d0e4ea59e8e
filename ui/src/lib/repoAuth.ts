// How a repository authenticates, in the words and choices of the Settings page. The backend has
// three methods; the page offers four choices, because SSH with the agent and SSH with a key file
// are one method (`ssh`) told apart by `ssh_key`.
import type { AuthMethod, CheckStepKind, RepoAuthRow } from './types';

export type AuthChoice = 'none' | 'token' | 'ssh-agent' | 'ssh-key';

export const AUTH_CHOICES: readonly { value: AuthChoice; label: string; hint: string }[] = [
  { value: 'none', label: 'No credentials', hint: 'A public repository, or a local path.' },
  { value: 'token', label: 'HTTPS token', hint: 'An https:// URL with a personal access token (GitHub: contents read and write).' },
  { value: 'ssh-agent', label: 'SSH agent', hint: 'An SSH URL (git@host:owner/repo) with the keys your SSH agent holds.' },
  { value: 'ssh-key', label: 'SSH key file', hint: 'An SSH URL with a private key file, without a passphrase or loaded in the agent.' },
];

export function authChoice(row: Pick<RepoAuthRow, 'auth' | 'ssh_key'>): AuthChoice {
  if (row.auth === 'ssh') return row.ssh_key ? 'ssh-key' : 'ssh-agent';
  return row.auth;
}

export function authMethod(choice: AuthChoice): AuthMethod {
  return choice === 'ssh-agent' || choice === 'ssh-key' ? 'ssh' : choice;
}

/** "No credentials", "HTTPS token", "SSH agent", "SSH key /home/ada/.ssh/id_ed25519". */
export function authLabel(row: Pick<RepoAuthRow, 'auth' | 'ssh_key'>): string {
  const choice = authChoice(row);
  return choice === 'ssh-key' ? `SSH key ${row.ssh_key}` : AUTH_CHOICES.find((c) => c.value === choice)!.label;
}

/** What a URL looks like, to point out a method that cannot work with it before the backend refuses. */
export function urlKind(url: string): 'https' | 'http' | 'ssh' | 'other' {
  const u = url.trim();
  if (/^https:\/\//i.test(u)) return 'https';
  if (/^http:\/\//i.test(u)) return 'http';
  if (/^ssh:\/\//i.test(u) || /^[\w.-]+@[\w.-]+:/.test(u)) return 'ssh';
  return 'other';
}

/** The steps of a connection check, in the order the backend runs and reports them. */
export const CHECK_STEPS = ['reachable', 'authenticated', 'branch-exists', 'may-push', 'rate-limit'] as const satisfies readonly CheckStepKind[];
const allSteps: Exclude<CheckStepKind, (typeof CHECK_STEPS)[number]> extends never ? true : never = true;
void allSteps;

export const STEP_LABELS: Record<CheckStepKind, string> = {
  reachable: 'Reachable',
  authenticated: 'Authenticated',
  'branch-exists': 'Branch exists',
  'may-push': 'May push',
  'rate-limit': 'API rate limit left',
};
