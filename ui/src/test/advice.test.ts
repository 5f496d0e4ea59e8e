import { describe, expect, test } from 'vitest';
import { adviceFor, ADVICE } from '../lib/advice';
import { BackendError } from '../lib/api';

describe('BackendError', () => {
  test('keeps the backend code and message', () => {
    const e = BackendError.from({ code: 'busy', message: 'fabric demo is busy (pull)' }, 'push');
    expect(e).toBeInstanceOf(BackendError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('busy');
    expect(e.message).toBe('fabric demo is busy (pull)');
    expect(e.command).toBe('push');
  });

  test('an unknown code, a plain string or an Error becomes internal', () => {
    expect(BackendError.from({ code: 'weird', message: 'x' }).code).toBe('internal');
    const s = BackendError.from('command push not found');
    expect([s.code, s.message]).toEqual(['internal', 'command push not found']);
    expect(BackendError.from(new Error('boom')).message).toBe('boom');
  });
});

describe('advice by code', () => {
  test('remote unreachable: check the network or URL, drafts are kept', () => {
    const a = adviceFor({ code: 'remote-unreachable', message: 'could not connect to github.com' }, 'Pull');
    expect(a.title).toBe('Remote unreachable');
    expect(a.message).toBe('could not connect to github.com');
    expect(a.advice).toMatch(/check the network or the URL; your drafts are kept/i);
  });

  test('busy: another operation is running on this fabric', () => {
    expect(adviceFor({ code: 'busy', message: 'busy' }).advice).toMatch(/another operation is running on this fabric/i);
  });

  test('auth, rejected, keychain and rate limits say what to do', () => {
    expect(adviceFor({ code: 'auth-failed', message: '' }).advice).toMatch(/credentials/);
    expect(adviceFor({ code: 'rejected', message: '' }).advice).toMatch(/new branch/);
    expect(adviceFor({ code: 'keychain-locked', message: '' }).advice).toMatch(/Unlock/);
    expect(adviceFor({ code: 'rate-limited', message: '' }).advice).toMatch(/wait/);
  });

  test('a code without its own title names the action', () => {
    expect(adviceFor({ code: 'io', message: 'disk full' }, 'Save').title).toBe('Save failed');
  });

  test('every code has advice', () => {
    for (const text of Object.values(ADVICE)) expect(text.length).toBeGreaterThan(10);
  });
});
