/**
 * `npm start` as a person runs it (issue 10): it must stop on SIGTERM to the process they
 * started (npm's) and on Ctrl-C, gracefully; in a terminal it prints readable logs and where the
 * admin key is in plain words; anywhere else the logs are JSON lines. Each start runs the real
 * command on the embedded default, with its own DATA_DIR and port. A terminal is a real
 * pseudo-terminal (util-linux `script`), and Ctrl-C is the byte 0x03 typed into it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'smb-start-'));
const started: ChildProcess[] = [];
afterAll(() => {
  // If a test failed before its server stopped: end the process groups this file started (by
  // id; npm may be gone while the server it started lives on, as it did before issue 10).
  for (const p of started) {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      /* the group is gone: nothing left running */
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment of a person's shell: the embedded default, nothing of the test services. */
function userEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'development', LOG_LEVEL: 'info' };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'ADMIN_BOOTSTRAP_KEY',
    'CPR_HMAC_KEYS',
    'CPR_HMAC_ACTIVE_KEY_ID',
    'WEBHOOK_SECRET_KEYS',
    'WEBHOOK_SECRET_ACTIVE_KEY_ID',
    'ROLE',
    'VITEST',
    'VITEST_POOL_ID',
    'VITEST_WORKER_ID',
  ]) {
    delete env[name];
  }
  return env;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[], port: number): Run {
  // Its own process group, so "Ctrl-C to the group" and the clean-up reach only this run.
  const child = spawn(command, args, { cwd: ROOT, env: userEnv(port), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const healthy = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.ok,
    () => false,
  );

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The first start in this DATA_DIR creates the admin key: that one runs in a terminal.
describe.sequential('npm start', () => {
  it('in a terminal: readable logs, the admin key’s place in plain words, CPRs still scrubbed; Ctrl-C stops it gracefully', async () => {
    const port = await freePort();
    // `script` runs its command through $SHELL -c (or /bin/sh when SHELL is unset, as on a CI
    // machine). A person's interactive shell gives `npm start` the terminal's foreground process
    // group to itself; a non-interactive dash instead stays in that group, receives the Ctrl-C
    // too, and exits 130 after npm exits 0 — a fact about dash, not about the service. `exec`
    // makes npm the terminal's process, as an interactive shell would, under any $SHELL.
    const r = run('script', ['-qfec', 'exec npm start', '/dev/null'], port);
    await until('the start-up notice', () => r.output().includes('Stop with Ctrl-C.') || r.child.exitCode !== null, 150_000);
    const keyFile = join(dataDir, 'admin-key');
    expect(r.output()).toContain(`A development admin API key was created in ${keyFile} (readable only by you).`);
    expect(r.output()).toContain(`curl -H "Authorization: Bearer $(cat ${keyFile})" http://127.0.0.1:${port}/v1/funds`);
    expect(await healthy(port)).toBe(true);
    // A request whose URL holds a CPR: the pretty log line shows it scrubbed.
    await fetch(`http://127.0.0.1:${port}/v1/children/150319-4123`);
    await until('the request log line', () => r.output().includes('/v1/children/[CPR]'), 10_000);
    const output = r.output();
    expect(output).not.toContain('150319-4123');
    expect(output).not.toContain(readFileSync(keyFile, 'utf8').trim());
    expect(output).toMatch(/INFO.*mobility bonus settlement service started/);
    expect(output).not.toMatch(/^\{"level":/m);

    r.child.stdin!.write('\x03'); // Ctrl-C, typed into the terminal
    const exit = await Promise.race([r.exited, new Promise<null>((res) => setTimeout(() => res(null), 40_000))]);
    expect(exit, r.output().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(r.output()).toMatch(/shutting down: finishing in-flight requests and jobs[\s\S]*SIGINT/);
    expect(await healthy(port)).toBe(false);
  }, 240_000);

  it('elsewhere: JSON log lines only; SIGTERM to the npm process stops the server, which exits 0', async () => {
    const port = await freePort();
    const r = run('npm', ['start'], port);
    await until('/healthz', async () => r.child.exitCode !== null || (await healthy(port)), 150_000);
    expect(r.child.exitCode, r.output().slice(-2000)).toBeNull();
    const jsonLines = r
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    const server = jsonLines.map((l) => JSON.parse(l) as { pid: number; msg: string }).find((l) => l.msg === 'mobility bonus settlement service started')!;
    expect(server).toBeDefined();
    // Besides npm's own two header lines, nothing but JSON on the output: no notice, no colours.
    const other = r
      .output()
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('{') && !l.startsWith('> '));
    expect(other).toEqual([]);

    process.kill(r.child.pid!, 'SIGTERM'); // to what the user started: npm
    const exit = await Promise.race([r.exited, new Promise<null>((res) => setTimeout(() => res(null), 40_000))]);
    expect(exit, r.output().slice(-2000)).toEqual({ code: 0, signal: null });
    const shutdown = r
      .output()
      .split('\n')
      .filter((l) => l.includes('shutting down'));
    expect(shutdown.map((l) => JSON.parse(l))).toMatchObject([{ signal: 'SIGTERM', pid: server.pid }]);
    await until('the server process to end', () => !alive(server.pid), 10_000);
    expect(await healthy(port)).toBe(false);
  }, 240_000);
});
