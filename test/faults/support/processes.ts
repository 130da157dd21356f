/**
 * The service's own processes (API, workers) as real children of the test: `node --import tsx`
 * (not npx, so that SIGKILL reaches the Node process itself), logs to a file, SIGKILL on demand.
 *
 * A detached watchdog shell per child kills it once the test process is gone (even after a
 * SIGKILL of the test), and an exit hook kills every child still running when the test exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pidAlive } from '../../support/services.js';

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited, with its exit code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** SIGKILL, and wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** The process's JSON log lines (pino), parsed; other lines are skipped. */
  logRecords(): Array<Record<string, unknown>>;
}

const live = new Set<ChildProcess>();
let exitHook = false;

function killAllSync(): void {
  for (const child of live) {
    try {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** Kills `childPid` once `ownerPid` is gone; exits by itself when the child exits first. */
function watchdog(ownerPid: number, childPid: number): void {
  const script = `trap '' INT HUP
while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
kill -KILL "$2" 2>/dev/null || true`;
  const w = spawn('/bin/sh', ['-c', script, 'smb-fault-watchdog', String(ownerPid), String(childPid)], {
    detached: true,
    stdio: 'ignore',
  });
  w.on('error', () => undefined);
  w.unref();
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts `script` (relative to the repository root) with `env`; output goes to `logFile`. */
export function spawnService(name: string, script: string, env: NodeJS.ProcessEnv, logFile: string): ServiceProcess {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', killAllSync);
  }
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  if (!child.pid) throw new Error(`${name}: could not spawn ${script}`);
  const pid = child.pid;
  live.add(child);
  watchdog(process.pid, pid);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null && pidAlive(pid);
  return {
    name,
    pid,
    logFile,
    exited,
    running,
    async kill9() {
      if (running()) process.kill(pid, 'SIGKILL');
      await exited;
    },
    async stop(graceMs = 20_000) {
      if (!running()) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => running() && process.kill(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    logRecords() {
      const out: Array<Record<string, unknown>> = [];
      for (const line of readFileSync(logFile, 'utf8').split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          out.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // a line cut short by SIGKILL
        }
      }
      return out;
    },
  };
}
