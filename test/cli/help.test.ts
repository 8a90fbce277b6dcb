import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('quantflow CLI basics', () => {
  it('answers --help with exit 0', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: quantflow');
  });

  it('rejects an unknown command with exit 2 and no stack trace', () => {
    const r = runCli(['no-such-command']);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
