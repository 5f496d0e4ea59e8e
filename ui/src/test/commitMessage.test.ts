import { expect, test } from 'vitest';
import { commitMessage, summaryLine } from '../lib/commitMessage';
import { makeDiffs } from './fixtures';

test('summary counts changes by kind of change', () => {
  expect(summaryLine('demo', makeDiffs())).toBe('hhsync: 2 modified, 1 created in fabric demo');
  expect(summaryLine('lab', [{ change: 'deleted' }])).toBe('hhsync: 1 deleted in fabric lab');
});

test('message lists every change under the summary, modified first', () => {
  expect(commitMessage('demo', makeDiffs())).toBe(
    ['hhsync: 2 modified, 1 created in fabric demo', '', '- modified Server/server-03', '- modified Switch/leaf-01', '- created VPC/vpc-1'].join('\n'),
  );
});
