import { readdirSync, readFileSync } from 'node:fs';

/** CPU time in µs: this process (every thread) and, when the server runs here, PostgreSQL's processes. */
export interface CpuSample {
  readonly clientUs: number;
  readonly serverUs: number | undefined;
}

// /proc/<pid>/stat counts in clock ticks; Linux reports them at 100 per second.
const US_PER_TICK = 10_000;

interface ProcStat {
  readonly comm: string;
  readonly ppid: number;
  /** utime + stime + cutime + cstime, in ticks. */
  readonly ticks: number;
}

function procStat(pid: number | string): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // no /proc, or the process is gone
  }
  const close = stat.lastIndexOf(')');
  const rest = stat.slice(close + 2).split(' '); // field 3 (state) on
  const field = (n: number) => Number(rest[n - 3]);
  return { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: field(4), ticks: field(14) + field(15) + field(16) + field(17) };
}

/**
 * The postmaster of a server backend whose pid (`SELECT pg_backend_pid()`) is `backendPid`, when
 * that server runs on this machine.
 */
export function postmasterOf(backendPid: number): number | undefined {
  const backend = procStat(backendPid);
  return backend?.comm === 'postgres' ? backend.ppid : undefined;
}

/**
 * CPU of a server's processes: the postmaster and its children (backends, autovacuum, …). Each
 * counts its utime + stime; the postmaster's cutime + cstime keep what exited children spent,
 * so the total only grows while connections come and go (other servers on the machine are not
 * counted).
 */
function serverCpuUs(postmaster: number): number | undefined {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const stat = procStat(pid);
    if (stat?.comm === 'postgres' && (Number(pid) === postmaster || stat.ppid === postmaster)) ticks += stat.ticks;
  }
  return ticks > 0 ? ticks * US_PER_TICK : undefined;
}

/** CPU so far: this process's, and the server's when its postmaster runs here. */
export function sampleCpu(postmaster: number | undefined): CpuSample {
  const { user, system } = process.cpuUsage();
  return { clientUs: user + system, serverUs: postmaster === undefined ? undefined : serverCpuUs(postmaster) };
}

/** CPU µs per operation between two samples. */
export function cpuPerOp(from: CpuSample, to: CpuSample, ops: number): { client: number; server: number | undefined } {
  const server = from.serverUs === undefined || to.serverUs === undefined ? undefined : (to.serverUs - from.serverUs) / ops;
  return { client: (to.clientUs - from.clientUs) / ops, server };
}
