import { describe, expect, test } from 'vitest';
import { adviceFor, ADVICE } from '../lib/advice';
import { BackendError } from '../lib/api';
import { CODES } from '../lib/types';

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

  test('TLS, host key, permission and GitHub failures say what to check, not "restart hhsync"', () => {
    expect(adviceFor({ code: 'tls', message: '' }).advice).toMatch(/certificate/);
    expect(adviceFor({ code: 'host-key', message: '' }).advice).toMatch(/known_hosts/);
    expect(adviceFor({ code: 'permission', message: '' }).advice).toMatch(/write access/);
    expect(adviceFor({ code: 'git-hub', message: '' }).advice).toMatch(/GitHub/);
  });
});

// CODES is generated from the Rust `Code` enum (ui/src/lib/generated/codes.ts), so a code added
// there fails here until advice.ts says what to do about it.
describe('every code the backend sends', () => {
  test('the generated list is the whole Rust enum', () => {
    expect(CODES.length).toBeGreaterThanOrEqual(18);
    expect(new Set(CODES).size).toBe(CODES.length);
  });

  test.each(CODES)('%s keeps its code through BackendError', (code) => {
    expect(BackendError.from({ code, message: 'x' }).code).toBe(code);
  });

  test.each(CODES)('%s has advice of its own, not the fallback for unknown failures', (code) => {
    const advice = ADVICE[code];
    expect(advice, `advice.ts has no advice for "${code}"`).toBeTypeOf('string');
    expect(advice.length).toBeGreaterThan(20);
    // `internal` is the fallback itself (a bug or an unexpected failure in hhsync)
    if (code !== 'internal') expect(advice).not.toBe(ADVICE.internal);
    const sharing = CODES.filter((other) => other !== code && ADVICE[other] === advice);
    expect(sharing, `"${code}" shares its advice with ${sharing.join(', ')}`).toEqual([]);
  });
});
