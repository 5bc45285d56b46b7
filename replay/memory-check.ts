/**
 * A guard against the classic replay-memory death: a 1M-transition Atari buffer allocated on a
 * machine that cannot hold it. Linux overcommits, so `new Uint8Array(7e9)` succeeds and the
 * process is killed later, hours into training, when the pages are finally written. We check
 * before allocating and refuse with the number of bytes we would need.
 */
import os from 'node:os';

/** What the check needs to know about the machine (injectable so tests can fake a small one). */
export interface MemoryProbe {
  /** Bytes the OS could give us now (`os.freemem()`: MemAvailable on Linux). */
  freeBytes(): number;
  /** Bytes in the machine, or the cgroup / process limit when lower. */
  totalBytes(): number;
}

/** The real machine: `os.freemem()`, `os.totalmem()` and `process.constrainedMemory()` when set. */
export const systemMemoryProbe: MemoryProbe = {
  freeBytes: () => os.freemem(),
  totalBytes: () => {
    const total = os.totalmem();
    // process.constrainedMemory is Node >= 19.6; it reports 0 or 2^64 when there is no limit.
    const constrained = (process as { constrainedMemory?: () => number }).constrainedMemory?.() ?? 0;
    return constrained > 0 && constrained < total ? constrained : total;
  },
};

/** `bytes` in a human unit, e.g. `6.57 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 2)} ${units[unit]}`;
}

/**
 * Throws if `bytes` more would not fit in the memory available now.
 * @param what what is being allocated, for the message (e.g. "replay buffer of 1000000 transitions").
 * @param advice what the user can do instead, appended to the message.
 */
export function assertMemoryAvailable(
  bytes: number,
  what: string,
  advice: string,
  probe: MemoryProbe = systemMemoryProbe,
): void {
  const free = probe.freeBytes();
  const total = probe.totalBytes();
  const available = Math.min(free, total);
  if (bytes > available) {
    throw new Error(
      `not enough memory for ${what}: it needs ${formatBytes(bytes)} (${bytes} bytes) but only ` +
        `${formatBytes(available)} is available (${formatBytes(total)} total). ${advice}`,
    );
  }
}
