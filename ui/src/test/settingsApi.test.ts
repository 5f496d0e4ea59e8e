// The Settings commands as they reach Tauri: argument names, and which arguments are left out.
import { invoke } from '@tauri-apps/api/core';
import { beforeEach, expect, test, vi } from 'vitest';
import * as api from '../lib/api';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

beforeEach(() => {
  vi.mocked(invoke).mockResolvedValue(null);
});

test('addRepository without auth options sends what it always sent', async () => {
  await api.addRepository('lab', 'https://example.invalid/lab.git', 'main');
  expect(invoke).toHaveBeenCalledWith('add_repository', { name: 'lab', url: 'https://example.invalid/lab.git', branch: 'main' });
});

test('addRepository with a token sends it once, camel-cased arguments and blanks left out', async () => {
  await api.addRepository('lab', 'https://example.invalid/lab.git', 'main', { auth: 'token', token: 'ghp_x', sshKey: '', apiUrl: '  ' });
  expect(invoke).toHaveBeenCalledWith('add_repository', {
    name: 'lab',
    url: 'https://example.invalid/lab.git',
    branch: 'main',
    auth: 'token',
    token: 'ghp_x',
    sshKey: undefined,
    apiUrl: undefined,
  });
});

test('updateRepository without a new token leaves the token argument out (the stored one stays)', async () => {
  await api.updateRepository('lab', { auth: 'token', apiUrl: 'https://ghe.example.com/api/v3' });
  const args = vi.mocked(invoke).mock.calls[0][1] as Record<string, unknown>;
  expect(args).toEqual({ name: 'lab', auth: 'token', token: undefined, sshKey: undefined, apiUrl: 'https://ghe.example.com/api/v3' });
  // undefined is dropped when Tauri serialises the arguments: the backend sees no token at all
  expect(JSON.parse(JSON.stringify(args))).not.toHaveProperty('token');
});

test('setPreference with null resets the setting', async () => {
  await api.setPreference('author.name', null);
  expect(invoke).toHaveBeenCalledWith('set_preference', { key: 'author.name', value: null });
});

test('a keychain failure rejects with its code', async () => {
  vi.mocked(invoke).mockRejectedValue({ code: 'keychain-locked', message: 'the keychain is locked' });
  await expect(api.removeToken('lab')).rejects.toMatchObject({ code: 'keychain-locked', command: 'remove_token' });
});
