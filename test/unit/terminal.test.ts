import { describe, expect, it } from 'vitest';
import { startupNotice, usePrettyLogs } from '../../src/terminal.js';

describe('terminal output', () => {
  it('pretty logs only in development on a terminal', () => {
    expect(usePrettyLogs({ NODE_ENV: 'development' }, true)).toBe(true);
    expect(usePrettyLogs({ NODE_ENV: 'development' }, false)).toBe(false);
    expect(usePrettyLogs({ NODE_ENV: 'production' }, true)).toBe(false);
    expect(usePrettyLogs({ NODE_ENV: 'test' }, true)).toBe(false);
  });

  it('names the admin key file as the user would type it, and says whether this start created it', () => {
    const first = startupNotice({ url: 'http://127.0.0.1:3000', adminKey: { file: '/home/u/app/data/admin-key', generated: true }, cwd: '/home/u/app' });
    expect(first).toContain('A development admin API key was created in data/admin-key (readable only by you).');
    expect(first).toContain('curl -H "Authorization: Bearer $(cat data/admin-key)" http://127.0.0.1:3000/v1/funds');
    const later = startupNotice({ url: 'http://127.0.0.1:3000', adminKey: { file: '/srv/keys/admin-key', generated: false }, cwd: '/home/u/app' });
    expect(later).toContain('The development admin API key is in /srv/keys/admin-key.');
    const bootstrap = startupNotice({ url: 'http://127.0.0.1:3000', adminKey: null, cwd: '/home/u/app' });
    expect(bootstrap).not.toContain('admin API key');
    expect(bootstrap).toContain('Stop with Ctrl-C.');
  });
});
