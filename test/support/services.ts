/**
 * Provisioning of the real PostgreSQL and Redis the test suites run against.
 *
 * Each service is chosen independently, in this order:
 *   1. `DATABASE_URL` / `REDIS_URL` from the environment;
 *   2. testcontainers, when a Docker engine answers a quick ping (imported lazily, only then);
 *   3. local binaries (PostgreSQL's `initdb`/`pg_ctl`, `redis-server`) on a temp dir and a free
 *      loopback port.
 *
 * `SMB_TEST_SERVICES=local` skips the Docker probe; `SMB_TEST_SERVICES=containers` requires it.
 *
 * Local services are protected against leaks three ways: the normal `destroy()`, a synchronous
 * `emergencyCleanupSync()` (run on process exit and by the signal handlers of the callers), and a
 * detached watchdog shell per service that kills the server and removes its temp dir once the
 * owning Node process is gone — even after a SIGKILL.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  chownSync,
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  appendFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

// ---------------------------------------------------------------------------------------------
// Public types

export interface ProvisionedServices {
  /** URL of a PostgreSQL database the tests may use for administration (CREATE/DROP DATABASE). */
  databaseUrl: string;
  redisUrl: string;
  /** Tears down whatever was started (no-op for services that came from the environment). */
  stop(): Promise<void>;
}

/** A PostgreSQL cluster on a temp dir, run by the local binaries. */
export interface LocalPostgres {
  /** URL of the `postgres` maintenance database, `postgres` superuser, trust auth. */
  readonly url: string;
  readonly port: number;
  /** Temp dir holding the data dir (`data/`), the socket and `postgres.log`. */
  readonly dir: string;
  readonly dataDir: string;
  readonly binDir: string;
  readonly logFile: string;
  /** The postmaster's pid, or null when it is not running. */
  pid(): number | null;
  /** Starts the server (again) on the same port and data dir; waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server with `pg_ctl stop` (default mode `fast`); the data dir is kept. */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** SIGKILLs the postmaster (crash simulation); backends exit on their own when they notice. */
  kill9(): Promise<void>;
  /** stop() + start(). */
  restart(): Promise<void>;
  /** Stops the server and removes the temp dir. Idempotent. */
  destroy(): Promise<void>;
}

/** A redis-server child process on a temp dir. */
export interface LocalRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly logFile: string;
  pid(): number | null;
  /** Starts redis-server (again) on the same port; waits for PING. */
  start(): Promise<void>;
  /** SIGTERM (redis shuts down without saving) and waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL and waits for the exit. */
  kill9(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and removes the temp dir. Idempotent. */
  destroy(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Small utilities

const LOG_PREFIX = '[test-services]';

/** Logs to stderr so that stdout stays clean for `start-services.ts`. */
export function log(line: string): void {
  process.stderr.write(`${LOG_PREFIX} ${line}\n`);
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(
  file: string,
  args: string[],
  opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, env: opts.env ?? process.env, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const detail = [stderr, stdout]
            .map((s) => String(s).trim())
            .filter(Boolean)
            .join('\n');
          reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}${detail ? `\n${detail}` : ''}`));
        } else resolve({ stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `which`, plus the sbin dirs a non-root PATH often lacks. */
export function findExecutable(name: string): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const extra of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (!dirs.includes(extra)) dirs.push(extra);
  }
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** A port that was free on 127.0.0.1 a moment ago (callers retry on a bind race). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not allocate a free port'))));
    });
  });
}

/**
 * Whether `pid` is a live process. Zombies count as dead: the postmaster is reparented to pid 1
 * once pg_ctl exits, and in containers pid 1 often reaps late or never, so `kill -0` alone would
 * keep "seeing" a crashed server.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return !existsSync('/proc/self/stat'); // no procfs: trust kill(0)
  }
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------
// Leak protection

interface Cleanup {
  /** Synchronous best effort: signal the server processes. Must not throw. */
  killSync(): void;
}

const live = new Set<Cleanup>();
let exitHookInstalled = false;

function register(cleanup: Cleanup): void {
  live.add(cleanup);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', emergencyCleanupSync);
  }
}

/**
 * Synchronously signals every local server still running (postgres: SIGQUIT = immediate
 * shutdown; redis: SIGKILL). The temp dirs are removed by the watchdogs once this process has
 * exited. Safe to call from signal handlers and `process.on('exit')`; idempotent.
 */
export function emergencyCleanupSync(): void {
  for (const cleanup of live) {
    try {
      cleanup.killSync();
    } catch {
      // best effort
    }
  }
  live.clear();
}

/**
 * A detached shell that waits for this Node process to go away, then runs `onOrphan` and removes
 * `dir`. It also exits by itself once `dir` is gone (normal teardown). Positional parameters:
 * $1 = owner pid, $2 = dir.
 */
function spawnWatchdog(dir: string, onOrphan: string): ChildProcess {
  const script = `
trap '' INT HUP
owner="$1"; dir="$2"
# alive PID: running and not a zombie (pid 1 may never reap the orphaned servers).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=\${st##*) }
  case "$st" in Z*|X*) return 1 ;; esac
  return 0
}
while alive "$owner" && [ -d "$dir" ]; do sleep 1; done
[ -d "$dir" ] || exit 0
${onOrphan}
rm -rf "$dir" 2>/dev/null || { sleep 1; rm -rf "$dir"; }
`;
  const child = spawn('/bin/sh', ['-c', script, 'smb-test-watchdog', String(process.pid), dir], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => undefined);
  child.unref();
  return child;
}

function killQuietly(child: ChildProcess | null, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, signal);
    } catch {
      // already gone
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL from local binaries

/** The bin dir of a PostgreSQL server installation: $PG_BINDIR, `pg_config --bindir`, /usr/lib/postgresql/<newest>/bin, PATH. */
export async function findPostgresBinDir(): Promise<string | null> {
  const hasServer = (dir: string) => ['postgres', 'initdb', 'pg_ctl'].every((b) => isExecutable(join(dir, b)));
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  const pgConfig = findExecutable('pg_config');
  if (pgConfig) {
    try {
      candidates.push((await run(pgConfig, ['--bindir'], { timeoutMs: 5_000 })).stdout.trim());
    } catch {
      // pg_config without a server install; keep looking
    }
  }
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    // not a Debian layout
  }
  candidates.push('/usr/local/pgsql/bin');
  const onPath = findExecutable('initdb');
  if (onPath) candidates.push(join(onPath, '..'));
  return candidates.find((dir) => dir && hasServer(dir)) ?? null;
}

/** Polls until a connection to `url` succeeds and answers `SELECT 1`. */
export async function waitForPostgres(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await sleep(200);
    }
  }
  throw new Error(`PostgreSQL at ${redactUrl(url)} not ready after ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startLocalPostgres(opts: { binDir?: string } = {}): Promise<LocalPostgres> {
  const binDir = opts.binDir ?? (await findPostgresBinDir());
  if (!binDir) {
    throw new Error(
      'PostgreSQL server binaries not found (looked at $PG_BINDIR, `pg_config --bindir`, /usr/lib/postgresql/*/bin, PATH). ' +
        'Install them (Debian/Ubuntu: `apt-get install postgresql`), or set DATABASE_URL.',
    );
  }
  const asRoot = isRoot();
  let pgUid = -1;
  let pgGid = -1;
  if (asRoot) {
    // initdb and postgres refuse to run as root: run them as the `postgres` system user.
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('running as root but there is no `postgres` user to run PostgreSQL as (apt-get install postgresql creates it)');
    });
    pgUid = Number(stdout.trim());
    pgGid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  }
  const runuser = asRoot ? findExecutable('runuser') : null;
  if (asRoot && !runuser) throw new Error('running as root but `runuser` (util-linux) is not available');

  const dir = mkdtempSync(join(tmpdir(), 'smb-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  if (asRoot) chownSync(dir, pgUid, pgGid);

  /** Runs a PostgreSQL binary as the right user, from the temp dir (the caller's cwd may be unreadable for `postgres`). */
  const pgBin = (name: string, args: string[], timeoutMs = 60_000) =>
    asRoot
      ? run(runuser!, ['-u', 'postgres', '--', join(binDir, name), ...args], { cwd: dir, timeoutMs })
      : run(join(binDir, name), args, { cwd: dir, timeoutMs });

  let port = 0;
  let watchdog: ChildProcess | null = null;
  let destroyed = false;

  const readPid = (): number | null => {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? pid : null;
    } catch {
      return null;
    }
  };

  const cleanup: Cleanup = {
    killSync() {
      const pid = readPid();
      if (pid) process.kill(pid, 'SIGQUIT');
    },
  };

  const urlFor = (p: number) => `postgres://postgres@127.0.0.1:${p}/postgres`;

  const pgCtlStart = async () => {
    // -w waits until the server accepts connections (postmaster.pid says "ready").
    await pgBin('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start'], 90_000);
    await waitForPostgres(urlFor(port), 30_000);
  };

  const writePortConfig = (p: number) => {
    // Later lines win in postgresql.conf, so a port change on retry is a plain append.
    appendFileSync(join(dataDir, 'postgresql.conf'), `port = ${p}\n`);
  };

  try {
    await pgBin('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], 120_000);
    appendFileSync(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        '# --- test settings (test/support/services.ts) ---',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        // Parallel query needs /dev/shm, which is tiny in many CI containers.
        'max_parallel_workers_per_gather = 0',
        ...extraPostgresSettings().map(([name, value]) => `${name} = '${value}'`),
        '',
      ].join('\n'),
    );
    // trust for 127.0.0.1 only (initdb -A trust already does this; be explicit in case of defaults changing).
    appendFileSync(join(dataDir, 'pg_hba.conf'), '\nhost all all 127.0.0.1/32 trust\n');

    watchdog = spawnWatchdog(
      dir,
      `pidfile="$dir/data/postmaster.pid"
if [ -f "$pidfile" ]; then
  pid=$(head -n 1 "$pidfile")
  if [ -n "$pid" ] && alive "$pid" && kill -QUIT "$pid" 2>/dev/null; then
    i=0; while alive "$pid" && [ $i -lt 20 ]; do sleep 0.5; i=$((i+1)); done
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi`,
    );
    register(cleanup);

    // A port that was free a moment ago may be taken by the time postgres binds it: retry.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      writePortConfig(port);
      try {
        await pgCtlStart();
        break;
      } catch (error) {
        if (attempt >= 3 || !/could not (bind|create listen)/i.test(tail(logFile, 10))) throw error;
      }
    }
  } catch (error) {
    cleanup.killSync();
    live.delete(cleanup);
    killQuietly(watchdog);
    await sleep(200);
    const logText = tail(logFile);
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    throw new Error(`could not start local PostgreSQL from ${binDir}: ${(error as Error).message}\n--- postgres.log ---\n${logText}`, {
      cause: error,
    });
  }

  const handle: LocalPostgres = {
    url: urlFor(port),
    port,
    dir,
    dataDir,
    binDir,
    logFile,
    pid: readPid,
    async start() {
      if (readPid()) return;
      // A postmaster killed with SIGKILL leaves postmaster.pid behind; if its pid lingers as an
      // unreaped zombie, postgres would take it for a running postmaster. The process is dead
      // (readPid() is zombie-aware), so the lock file can go; live backends are still detected
      // through the shared memory segment.
      rmSync(join(dataDir, 'postmaster.pid'), { force: true });
      // After kill9 the old backends may still hold the shared memory for a moment: retry.
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          await pgCtlStart();
          return;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`${(error as Error).message}\n--- postgres.log ---\n${tail(logFile)}`);
          await sleep(250);
        }
      }
    },
    async stop(mode = 'fast') {
      if (!readPid()) return;
      await pgBin('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop'], 90_000);
    },
    async kill9() {
      const pid = readPid();
      if (!pid) return;
      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while (pidAlive(pid) && Date.now() < deadline) await sleep(50);
    },
    async restart() {
      await handle.stop();
      await handle.start();
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        await handle.stop('fast');
      } catch {
        try {
          await handle.stop('immediate');
        } catch {
          const pid = readPid();
          if (pid) process.kill(pid, 'SIGKILL');
        }
      }
      live.delete(cleanup);
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      killQuietly(watchdog);
    },
  };
  return handle;
}

// ---------------------------------------------------------------------------------------------
// Redis from the local binary

/** Sends PING over a raw socket; resolves true on +PONG. */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    let buffer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      if (buffer.includes('\r\n')) done(buffer.startsWith('+PONG'));
    });
  });
}

export async function startLocalRedis(opts: { binary?: string } = {}): Promise<LocalRedis> {
  const binary = opts.binary ?? findExecutable('redis-server');
  if (!binary) {
    throw new Error(
      '`redis-server` not found on PATH. Install it (Debian/Ubuntu: `apt-get install redis-server`), ' +
        'or set REDIS_URL, or make a Docker engine available for testcontainers.',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'smb-redis-'));
  const logFile = join(dir, 'redis.log');
  const pidFile = join(dir, 'redis.pid');
  let port = 0;
  let child: ChildProcess | null = null;
  let destroyed = false;

  const running = () => (child && child.exitCode === null && child.signalCode === null ? child : null);
  const waitExit = (c: ChildProcess, timeoutMs: number) =>
    new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      const timer = setTimeout(() => {
        killQuietly(c, 'SIGKILL');
      }, timeoutMs);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  const cleanup: Cleanup = {
    killSync() {
      const c = running();
      if (c?.pid) process.kill(c.pid, 'SIGKILL');
    },
  };

  const spawnRedis = async (): Promise<void> => {
    const fd = openSync(logFile, 'a');
    let c: ChildProcess;
    try {
      c = spawn(
        binary,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'no'],
        // Detached: a terminal ^C goes to our handlers, not straight to the server.
        { cwd: dir, stdio: ['ignore', fd, fd], detached: true },
      );
    } finally {
      closeSync(fd);
    }
    child = c;
    c.unref();
    c.on('error', () => undefined);
    // The watchdog reads the current pid from here (it changes on every restart).
    writeFileSync(pidFile, c.pid ? String(c.pid) : '');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (c.exitCode !== null || c.signalCode !== null) break;
      if (await pingRedis(port)) return;
      await sleep(50);
    }
    killQuietly(c, 'SIGKILL');
    throw new Error(`redis-server on port ${port} did not answer PING\n--- redis.log ---\n${tail(logFile)}`);
  };

  const watchdog = spawnWatchdog(
    dir,
    `pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
if [ -n "$pid" ] && grep -q redis "/proc/$pid/cmdline" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.2; fi`,
  );
  register(cleanup);

  try {
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await spawnRedis();
        break;
      } catch (error) {
        if (attempt >= 3 || !/address already in use/i.test(tail(logFile, 10))) throw error;
      }
    }
  } catch (error) {
    cleanup.killSync();
    live.delete(cleanup);
    killQuietly(watchdog);
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    throw new Error(`could not start local redis-server (${binary}): ${(error as Error).message}`, { cause: error });
  }

  const handle: LocalRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    logFile,
    pid: () => running()?.pid ?? null,
    async start() {
      if (running()) return;
      await spawnRedis();
    },
    async stop() {
      const c = running();
      if (!c) return;
      killQuietly(c, 'SIGTERM');
      await waitExit(c, 10_000);
    },
    async kill9() {
      const c = running();
      if (!c) return;
      killQuietly(c, 'SIGKILL');
      await waitExit(c, 10_000);
    },
    async restart() {
      await handle.stop();
      await handle.start();
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await handle.stop();
      live.delete(cleanup);
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      killQuietly(watchdog);
    },
  };
  return handle;
}

// ---------------------------------------------------------------------------------------------
// Docker / testcontainers

function httpPing(socketPath: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

let dockerProbe: Promise<boolean> | null = null;

/** Cheap check that a Docker engine answers: DOCKER_HOST or a known socket, pinged with a short timeout. */
export function dockerEngineAvailable(timeoutMs = 1_500): Promise<boolean> {
  dockerProbe ??= (async () => {
    const host = process.env.DOCKER_HOST;
    if (host) {
      if (host.startsWith('unix://')) return existsSync(host.slice(7)) && httpPing(host.slice(7), timeoutMs);
      try {
        const u = new URL(host.replace(/^tcp:/, 'http:'));
        return await tcpReachable(u.hostname, Number(u.port || 2375), timeoutMs);
      } catch {
        return false;
      }
    }
    const sockets = ['/var/run/docker.sock', join(homedir(), '.docker/run/docker.sock')];
    if (process.env.XDG_RUNTIME_DIR) sockets.push(join(process.env.XDG_RUNTIME_DIR, 'docker.sock'));
    for (const socket of sockets) {
      if (existsSync(socket) && (await httpPing(socket, timeoutMs))) return true;
    }
    return false;
  })();
  return dockerProbe;
}

/**
 * `SMB_TEST_PG_SETTINGS="shared_buffers=4GB,work_mem=64MB"`: settings added to the test server's
 * own (the benchmark sets memory like a production server's; tests use the defaults).
 */
export function extraPostgresSettings(): Array<[string, string]> {
  const raw = process.env.SMB_TEST_PG_SETTINGS ?? '';
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([a-z_]+)\s*=\s*([A-Za-z0-9_.]+)$/.exec(s);
      if (!m) throw new Error(`SMB_TEST_PG_SETTINGS: expected name=value, got "${s}"`);
      return [m[1]!, m[2]!];
    });
}

async function containerPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const image = process.env.SMB_TEST_POSTGRES_IMAGE ?? 'postgres:15-alpine';
  const container = await new PostgreSqlContainer(image)
    .withDatabase('postgres')
    .withUsername('postgres')
    .withPassword('postgres')
    .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
    .withCommand([
      'postgres',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
      '-c',
      'max_parallel_workers_per_gather=0',
      ...extraPostgresSettings().flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ])
    .start();
  return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
}

async function containerRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const { RedisContainer } = await import('@testcontainers/redis');
  const image = process.env.SMB_TEST_REDIS_IMAGE ?? 'redis:7-alpine';
  const container = await new RedisContainer(image).start();
  return { url: container.getConnectionUrl(), stop: async () => void (await container.stop()) };
}

// ---------------------------------------------------------------------------------------------
// The provisioning entry point

interface Provisioned {
  url: string;
  stop(): Promise<void>;
}

async function useContainers(): Promise<boolean> {
  const mode = process.env.SMB_TEST_SERVICES ?? 'auto';
  if (mode === 'local') return false;
  const available = await dockerEngineAvailable();
  if (mode === 'containers' && !available) throw new Error('SMB_TEST_SERVICES=containers but no Docker engine answers');
  return available;
}

async function provisionPostgres(): Promise<Provisioned> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    log(`postgres: DATABASE_URL from the environment (${redactUrl(fromEnv)})`);
    return { url: fromEnv, stop: async () => undefined };
  }
  if (await useContainers()) {
    const started = await containerPostgres();
    log(`postgres: testcontainers (${redactUrl(started.url)})`);
    return started;
  }
  const local = await startLocalPostgres();
  log(`postgres: local binaries ${local.binDir} on 127.0.0.1:${local.port} (${local.dir})`);
  return { url: local.url, stop: () => local.destroy() };
}

async function provisionRedis(): Promise<Provisioned> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) {
    log(`redis: REDIS_URL from the environment (${redactUrl(fromEnv)})`);
    return { url: fromEnv, stop: async () => undefined };
  }
  if (await useContainers()) {
    const started = await containerRedis();
    log(`redis: testcontainers (${redactUrl(started.url)})`);
    return started;
  }
  const local = await startLocalRedis();
  log(`redis: local redis-server on 127.0.0.1:${local.port} (${local.dir})`);
  return { url: local.url, stop: () => local.destroy() };
}

/** Provisions PostgreSQL and Redis (each: environment → testcontainers → local binaries), in parallel. */
export async function provisionServices(): Promise<ProvisionedServices> {
  const [pgResult, redisResult] = await Promise.allSettled([provisionPostgres(), provisionRedis()]);
  if (pgResult.status === 'rejected' || redisResult.status === 'rejected') {
    await Promise.allSettled([pgResult, redisResult].map((r) => (r.status === 'fulfilled' ? r.value.stop() : Promise.resolve())));
    const errors = [pgResult, redisResult].flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    throw new Error(`test service provisioning failed:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`, {
      cause: errors[0],
    });
  }
  let stopped: Promise<void> | null = null;
  return {
    databaseUrl: pgResult.value.url,
    redisUrl: redisResult.value.url,
    stop() {
      stopped ??= Promise.allSettled([pgResult.value.stop(), redisResult.value.stop()]).then((results) => {
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw (failed as PromiseRejectedResult).reason;
      });
      return stopped;
    },
  };
}
