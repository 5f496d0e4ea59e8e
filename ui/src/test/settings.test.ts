import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, test, vi } from 'vitest';
import App from '../App.svelte';
import Toasts from '../components/Toasts.svelte';
import * as api from '../lib/api';
import { ADVICE } from '../lib/advice';
import { app } from '../lib/state/app.svelte';
import type { CheckStep, Preferences, RepoAuthRow, RepoCheck } from '../lib/types';
import Settings from '../views/settings/Settings.svelte';
import { emitRepoCheck } from './api';
import { resetState } from './reset';

vi.mock('../lib/api', async (original) => (await import('./api')).mockApi(await original()));

const row = (name: string, over: Partial<RepoAuthRow> = {}): RepoAuthRow => ({
  id: 1,
  name,
  url: `https://github.com/acme/${name}.git`,
  branch: 'main',
  clone_dir: `clones/${name}.git`,
  auth: 'none',
  api_url: null,
  ssh_key: null,
  ...over,
});

const REPOS: RepoAuthRow[] = [
  row('lab', { auth: 'token' }),
  row('dc', { url: 'git@github.example.com:net/dc.git', auth: 'ssh', api_url: 'https://github.example.com/api/v3' }),
  row('edge', { url: 'git@github.com:acme/edge.git', auth: 'ssh', ssh_key: '/home/ada/.ssh/id_ed25519' }),
  row('local', { url: '/srv/git/local.git' }),
];

const PREFS: Preferences = {
  author_name: null,
  author_email: null,
  default_author_name: 'Ada Lovelace',
  default_author_email: 'ada@example.com',
  watch_interval: 60,
  theme: 'system',
};

const step = (kind: CheckStep['step'], state: CheckStep['state'], detail = '', code: CheckStep['code'] = null): CheckStep => ({
  repository: 'lab',
  step: kind,
  state,
  detail,
  code,
});

beforeEach(() => {
  resetState();
  vi.mocked(api.repositorySettings).mockResolvedValue(REPOS);
  vi.mocked(api.preferences).mockResolvedValue(PREFS);
  vi.mocked(api.listRepositories).mockResolvedValue([]);
  vi.mocked(api.listFabrics).mockResolvedValue([]);
});

async function openEdit(user: ReturnType<typeof userEvent.setup>, name: string) {
  render(Settings);
  await user.click(await screen.findByTestId(`repo-edit-${name}`));
  return screen.getByTestId('repo-dialog');
}

test('the repository list says how each repository signs in, in words', async () => {
  render(Settings);
  const list = await screen.findByTestId('repo-list');
  expect(within(list).getAllByRole('listitem')).toHaveLength(4);
  expect(screen.getByTestId('repo-row-lab')).toHaveTextContent('HTTPS token');
  expect(screen.getByTestId('repo-row-lab')).toHaveTextContent('https://github.com/acme/lab.git');
  expect(screen.getByTestId('repo-row-dc')).toHaveTextContent('SSH agent');
  expect(screen.getByTestId('repo-row-dc')).toHaveTextContent('https://github.example.com/api/v3');
  expect(screen.getByTestId('repo-row-edge')).toHaveTextContent('SSH key /home/ada/.ssh/id_ed25519');
  expect(screen.getByTestId('repo-row-local')).toHaveTextContent('No credentials');
  expect(screen.getByTestId('repo-row-local')).not.toHaveTextContent('API URL');
});

test('adding a repository with a token sends auth token and the token, then forgets it', async () => {
  const user = userEvent.setup();
  vi.mocked(api.addRepository).mockResolvedValue({ id: 5, name: 'corp', url: 'https://github.com/acme/corp.git', branch: 'prod', clone_dir: '', created_at: '' });
  render(Settings);
  render(Toasts);
  await user.click(await screen.findByTestId('repo-add'));
  await user.type(screen.getByTestId('repo-form-name'), 'corp');
  await user.type(screen.getByTestId('repo-form-url'), 'https://github.com/acme/corp.git');
  await user.clear(screen.getByTestId('repo-form-branch'));
  await user.type(screen.getByTestId('repo-form-branch'), 'prod');
  await user.click(screen.getByTestId('repo-form-auth-token'));
  expect(screen.getByTestId('repo-form-save')).toBeDisabled();
  expect(screen.getByTestId('repo-form-problem')).toHaveTextContent('Enter the token');
  const tokenField = screen.getByTestId('repo-form-token');
  expect(tokenField).toHaveAttribute('type', 'password');
  expect(tokenField).toHaveAttribute('autocomplete', 'off');
  await user.type(tokenField, 'ghp_secret123');
  vi.mocked(api.repositorySettings).mockResolvedValue([...REPOS, row('corp', { auth: 'token', branch: 'prod' })]);
  await user.click(screen.getByTestId('repo-form-save'));

  await waitFor(() => expect(screen.queryByTestId('repo-dialog')).not.toBeInTheDocument());
  expect(api.addRepository).toHaveBeenCalledWith('corp', 'https://github.com/acme/corp.git', 'prod', {
    auth: 'token',
    token: 'ghp_secret123',
    sshKey: undefined,
    apiUrl: '',
  });
  expect(await screen.findByTestId('repo-row-corp')).toHaveTextContent('HTTPS token');
  expect(screen.getByText('Repository corp added')).toBeInTheDocument();
  expect(document.body).not.toHaveTextContent('ghp_secret123');
  // a new dialog starts empty: the token did not outlive the one it was typed in
  await user.click(screen.getByTestId('repo-add'));
  await user.click(screen.getByTestId('repo-form-auth-token'));
  expect(screen.getByTestId('repo-form-token')).toHaveValue('');
  expect(screen.getByTestId('repo-form-name')).toHaveValue('');
});

test('editing a token repository names the stored token, and Save without Replace sends none', async () => {
  const user = userEvent.setup();
  vi.mocked(api.updateRepository).mockResolvedValue(REPOS[0]);
  const dialog = await openEdit(user, 'lab');
  expect(within(dialog).getByTestId('token-stored')).toHaveTextContent('Token stored in the system keychain');
  expect(within(dialog).queryByTestId('repo-form-token')).not.toBeInTheDocument();
  expect(within(dialog).getByTestId('repo-form-url')).toHaveAttribute('readonly');
  expect(within(dialog).getByTestId('repo-form-branch')).toHaveAttribute('readonly');
  expect(dialog).toHaveTextContent('cannot be changed');
  expect(within(dialog).getByTestId('repo-form-auth-token')).toBeChecked();
  await user.type(within(dialog).getByTestId('repo-form-api-url'), 'https://ghe.example.com/api/v3');
  await user.click(within(dialog).getByTestId('repo-form-save'));
  await waitFor(() => expect(api.updateRepository).toHaveBeenCalledTimes(1));
  expect(api.updateRepository).toHaveBeenCalledWith('lab', { auth: 'token', token: undefined, sshKey: undefined, apiUrl: 'https://ghe.example.com/api/v3' });
});

test('Replace reveals an empty token field and sends the new token', async () => {
  const user = userEvent.setup();
  vi.mocked(api.updateRepository).mockResolvedValue(REPOS[0]);
  const dialog = await openEdit(user, 'lab');
  await user.click(within(dialog).getByTestId('token-replace'));
  const field = within(dialog).getByTestId('repo-form-token');
  expect(field).toHaveValue('');
  expect(field).toHaveFocus();
  expect(within(dialog).getByTestId('repo-form-save')).toBeDisabled();
  await user.type(field, 'ghp_new');
  await user.click(within(dialog).getByTestId('repo-form-save'));
  await waitFor(() => expect(api.updateRepository).toHaveBeenCalledWith('lab', expect.objectContaining({ auth: 'token', token: 'ghp_new' })));
});

test('Remove token asks first, then removes it from the keychain', async () => {
  const user = userEvent.setup();
  vi.mocked(api.removeToken).mockResolvedValue(true);
  const dialog = await openEdit(user, 'lab');
  await user.click(within(dialog).getByTestId('token-remove'));
  expect(api.removeToken).not.toHaveBeenCalled();
  await user.click(within(dialog).getByTestId('token-remove-confirm'));
  expect(api.removeToken).toHaveBeenCalledWith('lab');
  expect(await within(dialog).findByTestId('token-notice')).toHaveTextContent('Token removed from the system keychain');
  expect(within(dialog).getByTestId('repo-form-token')).toHaveValue('');
  expect(within(dialog).queryByTestId('token-stored')).not.toBeInTheDocument();
});

test('switching a key-file repository to the agent sends no key path', async () => {
  const user = userEvent.setup();
  vi.mocked(api.updateRepository).mockResolvedValue(row('edge', { auth: 'ssh', url: 'git@github.com:acme/edge.git' }));
  const dialog = await openEdit(user, 'edge');
  expect(within(dialog).getByTestId('repo-form-ssh-key')).toHaveValue('/home/ada/.ssh/id_ed25519');
  await user.click(within(dialog).getByTestId('repo-form-auth-ssh-agent'));
  await user.click(within(dialog).getByTestId('repo-form-save'));
  await waitFor(() => expect(api.updateRepository).toHaveBeenCalledWith('edge', { auth: 'ssh', token: undefined, sshKey: undefined, apiUrl: '' }));
  expect(await screen.findByTestId('repo-row-edge')).toHaveTextContent('SSH agent');
});

test('Choose… fills the key path from the file dialog; a cancelled dialog keeps what was typed', async () => {
  const user = userEvent.setup();
  vi.mocked(api.updateRepository).mockResolvedValue(row('edge', { auth: 'ssh', url: 'git@github.com:acme/edge.git' }));
  const dialog = await openEdit(user, 'edge');
  vi.mocked(api.pickSshKey).mockResolvedValueOnce(null);
  await user.click(within(dialog).getByTestId('repo-form-ssh-key-pick'));
  expect(within(dialog).getByTestId('repo-form-ssh-key')).toHaveValue('/home/ada/.ssh/id_ed25519');
  vi.mocked(api.pickSshKey).mockResolvedValueOnce('/home/ada/.ssh/id_lab');
  await user.click(within(dialog).getByTestId('repo-form-ssh-key-pick'));
  await waitFor(() => expect(within(dialog).getByTestId('repo-form-ssh-key')).toHaveValue('/home/ada/.ssh/id_lab'));
  await user.click(within(dialog).getByTestId('repo-form-save'));
  await waitFor(() =>
    expect(api.updateRepository).toHaveBeenCalledWith('edge', { auth: 'ssh', token: undefined, sshKey: '/home/ada/.ssh/id_lab', apiUrl: '' }),
  );
});

test('Check connection ticks off each step as its event arrives; a failed step says what to do', async () => {
  const user = userEvent.setup();
  let finish!: (r: RepoCheck) => void;
  vi.mocked(api.checkRepository).mockReturnValue(new Promise((resolve) => (finish = resolve)));
  render(Settings);
  await user.click(await screen.findByTestId('repo-check-lab'));
  expect(api.checkRepository).toHaveBeenCalledWith('lab');
  const steps = screen.getByTestId('check-steps');
  const state = (kind: string) => within(steps).getByTestId(`check-step-${kind}`).getAttribute('data-state');
  expect(state('reachable')).toBe('running');
  expect(state('authenticated')).toBe('pending');
  expect(within(steps).getByTestId('check-step-rate-limit')).toHaveTextContent('API rate limit left');

  emitRepoCheck(step('reachable', 'passed', 'github.com answered'));
  await waitFor(() => expect(state('reachable')).toBe('passed'));
  expect(state('authenticated')).toBe('running');

  emitRepoCheck(step('authenticated', 'failed', 'HTTP 401: bad credentials', 'auth-failed'));
  for (const kind of ['branch-exists', 'may-push', 'rate-limit'] as const) emitRepoCheck(step(kind, 'skipped', 'not tried'));
  await waitFor(() => expect(state('authenticated')).toBe('failed'));
  const failed = within(steps).getByTestId('check-step-authenticated');
  expect(failed).toHaveTextContent('HTTP 401: bad credentials');
  expect(failed).toHaveTextContent(ADVICE['auth-failed']);
  expect(state('may-push')).toBe('skipped');

  finish({
    repository: 'lab',
    url: REPOS[0].url,
    branch: 'main',
    auth: 'token',
    reachable: true,
    authenticated: false,
    branch_tip: null,
    can_push: null,
    push_checked_with: null,
    problems: [{ code: 'auth-failed', message: 'HTTP 401: bad credentials' }],
  });
  await waitFor(() => expect(screen.getByTestId('check-summary')).toHaveTextContent('1 step failed'));
  expect(screen.getByTestId('repo-check-lab')).toBeEnabled();
});

test('steps whose events never came are read from the final report', async () => {
  const user = userEvent.setup();
  vi.mocked(api.checkRepository).mockResolvedValue({
    repository: 'lab',
    url: REPOS[0].url,
    branch: 'main',
    auth: 'token',
    reachable: true,
    authenticated: true,
    branch_tip: '0123456789abcdef',
    can_push: true,
    push_checked_with: 'github-api',
    rate_limit_remaining: 4999,
    problems: [],
  });
  render(Settings);
  await user.click(await screen.findByTestId('repo-check-lab'));
  await waitFor(() => expect(screen.getByTestId('check-summary')).toHaveTextContent('All good: hhsync can pull and push.'));
  for (const kind of ['reachable', 'authenticated', 'branch-exists', 'may-push', 'rate-limit']) {
    expect(screen.getByTestId(`check-step-${kind}`)).toHaveAttribute('data-state', 'passed');
  }
  expect(screen.getByTestId('check-step-rate-limit')).toHaveTextContent('4999 requests');
});

test('a check refused by a locked keychain explains the keychain and what to do', async () => {
  const user = userEvent.setup();
  vi.mocked(api.checkRepository).mockRejectedValue(new api.BackendError('keychain-locked', 'the keychain is locked'));
  render(Settings);
  await user.click(await screen.findByTestId('repo-check-lab'));
  const box = await screen.findByTestId('check-error');
  expect(box).toHaveAttribute('data-code', 'keychain-locked');
  expect(box).toHaveTextContent('Keychain locked');
  expect(box).toHaveTextContent('only in the system keychain');
  expect(box).toHaveTextContent(ADVICE['keychain-locked']);
  expect(screen.getByTestId('check-step-reachable')).toHaveAttribute('data-state', 'pending');
});

test('adding a repository without a keychain says so and keeps the dialog open to retry', async () => {
  const user = userEvent.setup();
  vi.mocked(api.addRepository).mockRejectedValue(new api.BackendError('keychain-unavailable', 'no system keychain is available'));
  render(Settings);
  await user.click(await screen.findByTestId('repo-add'));
  await user.type(screen.getByTestId('repo-form-name'), 'corp');
  await user.type(screen.getByTestId('repo-form-url'), 'https://github.com/acme/corp.git');
  await user.click(screen.getByTestId('repo-form-auth-token'));
  await user.type(screen.getByTestId('repo-form-token'), 'ghp_x');
  await user.click(screen.getByTestId('repo-form-save'));
  const box = await screen.findByTestId('repo-form-error');
  expect(box).toHaveTextContent('No keychain');
  expect(box).toHaveTextContent('use SSH');
  expect(screen.getByTestId('repo-form-save')).toBeEnabled();
});

test('Remove asks, names the fabrics in the way, and removes an unused repository', async () => {
  const user = userEvent.setup();
  vi.mocked(api.removeRepository).mockResolvedValue(null);
  render(Settings);
  await user.click(await screen.findByTestId('repo-remove-local'));
  const dialog = screen.getByTestId('confirm-dialog');
  expect(dialog).toHaveTextContent('The remote repository is not touched');
  vi.mocked(api.repositorySettings).mockResolvedValue(REPOS.filter((r) => r.name !== 'local'));
  await user.click(within(dialog).getByTestId('btn-confirm'));
  await waitFor(() => expect(screen.queryByTestId('repo-row-local')).not.toBeInTheDocument());
  expect(api.removeRepository).toHaveBeenCalledWith('local');
});

test('preferences show the git-config author as placeholders; an emptied name resets it', async () => {
  const user = userEvent.setup();
  vi.mocked(api.preferences).mockResolvedValue({ ...PREFS, author_name: 'NetOps Bot' });
  vi.mocked(api.setPreference).mockResolvedValue(PREFS);
  render(Settings);
  const name = await screen.findByTestId('pref-author-name');
  expect(name).toHaveValue('NetOps Bot');
  expect(name).toHaveAttribute('placeholder', 'default: Ada Lovelace');
  expect(screen.getByTestId('pref-author-email')).toHaveAttribute('placeholder', 'default: ada@example.com');
  expect(screen.getByText(/Leave empty to use your git config/)).toBeInTheDocument();
  expect(screen.getByTestId('pref-save')).toBeDisabled();
  await user.clear(name);
  await user.click(screen.getByTestId('pref-save'));
  await waitFor(() => expect(api.setPreference).toHaveBeenCalledWith('author.name', null));
  expect(api.setPreference).toHaveBeenCalledTimes(1);
  expect(name).toHaveValue('');
});

test('a watch interval the backend refuses shows its message by the field', async () => {
  const user = userEvent.setup();
  vi.mocked(api.setPreference).mockRejectedValue(
    new api.BackendError('invalid-input', 'watch.interval "2": give a number of seconds from 5 to 86400'),
  );
  render(Settings);
  const interval = await screen.findByTestId('pref-watch-interval');
  expect(interval).toHaveValue(60);
  await user.clear(interval);
  await user.type(interval, '2');
  await user.click(screen.getByTestId('pref-save'));
  expect(await screen.findByTestId('pref-error-watch.interval')).toHaveTextContent('give a number of seconds from 5 to 86400');
  expect(api.setPreference).toHaveBeenCalledWith('watch.interval', '2');
  expect(interval).toHaveAttribute('aria-invalid', 'true');
});

test('choosing a theme saves it and colours the window; system hands it back to the desktop', async () => {
  const user = userEvent.setup();
  vi.mocked(api.setPreference).mockImplementation(async (_key, value) => ({ ...PREFS, theme: value as Preferences['theme'] }));
  render(Settings);
  await user.click(await screen.findByTestId('pref-theme-dark'));
  expect(document.documentElement.dataset.theme).toBe('dark');
  expect(api.setPreference).toHaveBeenCalledWith('ui.theme', 'dark');
  await user.click(screen.getByTestId('pref-theme-system'));
  await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
  expect(api.setPreference).toHaveBeenLastCalledWith('ui.theme', 'system');
});

test('the stored theme applies at start-up, and Settings opens from the sidebar or Ctrl+,', async () => {
  const user = userEvent.setup();
  vi.mocked(api.appInfo).mockResolvedValue({ data_dir: '/d', version: '0.1.0', demo: null });
  vi.mocked(api.preferences).mockResolvedValue({ ...PREFS, theme: 'light' });
  render(App);
  await waitFor(() => expect(document.documentElement.dataset.theme).toBe('light'));
  await user.click(await screen.findByTestId('open-settings'));
  expect(await screen.findByTestId('settings')).toBeInTheDocument();
  expect(screen.getByTestId('open-settings')).toHaveAttribute('aria-current', 'page');
  app.page = 'fabric';
  await waitFor(() => expect(screen.queryByTestId('settings')).not.toBeInTheDocument());
  await user.keyboard('{Control>},{/Control}');
  expect(await screen.findByTestId('settings')).toBeInTheDocument();
});
