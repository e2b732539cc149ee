/**
 * CPU time spent by given processes (Linux /proc), so a benchmark on a shared machine can report
 * what a unit of work costs in CPU, which does not depend on what else the machine is doing, next
 * to the wall-clock rate, which does.
 */
import { readFileSync } from "node:fs";
import type pg from "pg";

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** user + system CPU of a process so far, in ms (0 if it is gone). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name (which may contain spaces): state is field 3,
    // utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** PostgreSQL backends connected to the pool's database (the pool's own included). */
export async function backendPids(pool: pg.Pool): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
  return rows.map((r) => r.pid);
}

export interface CpuGroups {
  [group: string]: () => number[] | Promise<number[]>;
}

/**
 * Snapshots CPU per group of processes; `stop()` returns ms of CPU each group used since `start()`.
 * Processes are listed again at the end, so backends opened during the measurement count (from 0).
 */
export async function measureCpu(groups: CpuGroups) {
  const before = new Map<number, number>();
  for (const list of Object.values(groups)) for (const pid of await list()) before.set(pid, cpuMsOf(pid));
  const selfBefore = process.cpuUsage();
  return async function stop(): Promise<Record<string, number>> {
    const self = process.cpuUsage(selfBefore);
    const used: Record<string, number> = { bench: (self.user + self.system) / 1000 };
    for (const [group, list] of Object.entries(groups)) {
      let total = 0;
      for (const pid of new Set(await list())) total += cpuMsOf(pid) - (before.get(pid) ?? 0);
      used[group] = total;
    }
    return used;
  };
}
