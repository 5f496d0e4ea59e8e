// What to tell a person when a command fails: the backend's error code decides, never its text.
import { BackendError, type ErrorCode } from './api';

export const ADVICE: Record<ErrorCode, string> = {
  'not-found': 'It may have been removed in the meantime: refresh and pick it again.',
  'already-exists': 'That name is taken: choose another one.',
  'invalid-input': 'Check what you entered (names, URL, YAML) and try again.',
  'remote-unreachable': 'Check the network or the URL; your drafts are kept.',
  'auth-failed': 'Check the credentials for this repository (token or SSH agent); your drafts are kept.',
  rejected: 'The remote refused the push (protected branch?). Pull and try again, or push to a new branch; your drafts are kept.',
  busy: 'Another operation is running on this fabric: wait for it to finish, then try again.',
  storage: 'The local database could not be read or written: restart hhsync. The Git repository is not affected.',
  git: 'A Git operation failed: pull, then try again. Your drafts are kept.',
  io: 'A file could not be read or written: check free disk space and permissions of the data directory.',
  cancelled: 'The operation was cancelled before anything was committed; nothing changed.',
  'keychain-locked': 'Unlock your keyring (the login keychain) and try again.',
  'keychain-unavailable': 'No keychain service is running: start one (e.g. GNOME Keyring) or use an SSH URL.',
  permission:
    'The credentials are valid but may not make this change (a read-only token?): give them write access, or push to a new branch; your drafts are kept.',
  tls: 'The secure connection failed: check that the URL is an https server whose certificate this computer trusts, or use an SSH URL; your drafts are kept.',
  'host-key':
    "The server's SSH host key is unknown or has changed: confirm it with the server's owner, add it to ~/.ssh/known_hosts (e.g. with ssh-keyscan), then try again.",
  'rate-limited': "GitHub's rate limit is reached: wait a few minutes and try again.",
  'git-hub': "GitHub refused the request: check the repository on GitHub and the token's access to it, then try again; your drafts are kept.",
  blocked:
    'Nothing was pushed: resolve the conflicts and fix the errors listed (or push the other drafts on their own); your drafts are kept.',
  'revert-blocked':
    'Nothing was reverted: push or discard the drafts of the files listed, or, for files changed again since, revert the later change first.',
  'not-synced': 'This fabric has not been pulled yet: pull it first.',
  'not-linked': "This fabric has no cluster linked: link one with a kubeconfig in the fabric's settings to see what runs.",
  internal: 'Something unexpected failed: try again, and if it keeps happening, restart hhsync.',
};

const TITLES: Partial<Record<ErrorCode, string>> = {
  'remote-unreachable': 'Remote unreachable',
  'auth-failed': 'Authentication failed',
  rejected: 'Push rejected',
  busy: 'Fabric busy',
  cancelled: 'Cancelled',
  'keychain-locked': 'Keychain locked',
  'keychain-unavailable': 'No keychain',
  permission: 'Permission denied',
  tls: 'Secure connection failed',
  'host-key': 'Unknown SSH host key',
  'rate-limited': 'Rate limited',
  'git-hub': 'GitHub error',
  blocked: 'Push blocked',
  'revert-blocked': 'Revert blocked',
  'not-synced': 'Not pulled yet',
  'not-linked': 'No cluster linked',
};

/**
 * Why, for failures a person cannot place from the message alone: hhsync keeps tokens in the
 * operating system's keychain only, and a locked or missing keychain is not a network or
 * credentials problem. Shown above the advice where there is room (ErrorBox).
 */
export const EXPLANATION: Partial<Record<ErrorCode, string>> = {
  'keychain-locked':
    'hhsync keeps repository tokens only in the system keychain, and it is locked: the token could not be read or stored, and no other place holds it. ' +
    'On Linux, unlock the "Login" keyring in Passwords and Keys (or log out and in again); on macOS, the "login" keychain in Keychain Access.',
  'keychain-unavailable':
    'hhsync keeps repository tokens only in the system keychain, and no keychain service answered ' +
    '(Linux: a Secret Service such as GNOME Keyring or KWallet; macOS: Keychain; Windows: Credential Manager). ' +
    'Start one and try again, or use SSH (agent or key file), which needs no token.',
};

export interface ErrorAdvice {
  code: ErrorCode;
  title: string;
  message: string;
  advice: string;
}

/** Turns any failure into a title, the backend's message and what to do next. */
export function adviceFor(error: unknown, action?: string): ErrorAdvice {
  const e = BackendError.from(error);
  const title = TITLES[e.code] ?? (action ? `${action} failed` : 'Something failed');
  return { code: e.code, title, message: e.message, advice: ADVICE[e.code] };
}
