import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory of this process and its child processes (the decoders), sampled from /proc (Linux): the
 * validator's footprint is the sum, and `process.resourceUsage().maxRSS` sees this process alone.
 */
function rssKb(pid: number | 'self'): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function childPids(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync('/proc/self/task')) {
    const text = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
    if (text) pids.push(...text.split(/\s+/).map(Number));
  }
  return pids;
}

/** Samples the tree every `intervalMs` until stopped; resolves to the peak in MB. */
export function sampleTreeRss(intervalMs = 20): { stop(): number } {
  let peakKb = 0;
  const sample = () => {
    peakKb = Math.max(peakKb, rssKb('self') + childPids().reduce((sum, pid) => sum + rssKb(pid), 0));
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return peakKb / 1024;
    },
  };
}
