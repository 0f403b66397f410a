import { readFileSync } from 'node:fs';

/**
 * The share of CPU time the hypervisor gave to other guests over a span (the `steal` column of /proc/stat): on a
 * shared virtual machine it slows every contestant, and a short cycle far more in proportion than a long scan, so
 * the report records it next to the load average. Null where /proc/stat is not there.
 */
export function startStealMeter(): () => number | null {
  const start = readCpuTimes();
  return () => {
    const end = readCpuTimes();
    if (!start || !end) return null;
    const total = end.total - start.total;
    return total > 0 ? (end.steal - start.steal) / total : null;
  };
}

function readCpuTimes(): { steal: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { steal: fields[7] ?? 0, total: fields.reduce((sum, n) => sum + n, 0) };
  } catch {
    return null;
  }
}
