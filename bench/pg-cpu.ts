import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

/**
 * One `/proc/<pid>/stat` (or `/proc/<pid>/task/<tid>/stat`) line: the command name, which stands
 * in parentheses and may itself contain spaces and parentheses, and the fields after it (the
 * state first: utime is `fields[11]`, stime `[12]`, cutime `[13]`, cstime `[14]`, in 10 ms ticks).
 */
export function procStat(path: string): { name: string; fields: string[] } {
  const line = readFileSync(path, 'utf8');
  const close = line.lastIndexOf(')');
  return { name: line.slice(line.indexOf('(') + 1, close), fields: line.slice(close + 2).split(' ') };
}

/**
 * CPU time (ms) PostgreSQL has used so far, when the server runs on this machine: the postmaster's
 * own and its reaped children's (cutime/cstime), plus every live child's. Null when the data
 * directory's postmaster.pid cannot be read (a remote server).
 */
export async function pgCpuMs(db: pg.Client): Promise<number | null> {
  try {
    return pgCpuMsOf((await db.query<{ d: string }>(`select setting as d from pg_settings where name = 'data_directory'`)).rows[0]!.d);
  } catch {
    return null;
  }
}

/** The same, given the server's data directory. */
export function pgCpuMsOf(dataDirectory: string): number | null {
  try {
    const postmaster = Number(readFileSync(`${dataDirectory}/postmaster.pid`, 'utf8').split('\n')[0]);
    const stat = (pid: number | string) => procStat(`/proc/${pid}/stat`).fields;
    const own = stat(postmaster);
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = stat(entry);
        if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // exited meanwhile: counted in the postmaster's cutime/cstime
      }
    }
    return ticks * 10;
  } catch {
    return null;
  }
}
