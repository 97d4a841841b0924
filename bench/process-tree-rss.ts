import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory of a process and its descendants (the decoders), sampled from /proc (Linux): the validator's
 * footprint is the sum, and `process.resourceUsage().maxRSS` sees one process alone.
 */
function rssKb(pid: number | 'self'): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function childPids(pid: number | 'self'): number[] {
  const pids: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) pids.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // The process exited between the listing and the read: it holds no memory any more.
  }
  return pids;
}

/** The resident memory of `pid` and every process below it, in KB. */
export function treeRssKb(pid: number | 'self' = 'self'): number {
  return rssKb(pid) + childPids(pid).reduce((sum, child) => sum + treeRssKb(child), 0);
}

/** Samples the tree every `intervalMs` until stopped; resolves to the peak in MB. */
export function sampleTreeRss(intervalMs = 20): { stop(): number } {
  let peakKb = 0;
  const sample = () => {
    peakKb = Math.max(peakKb, treeRssKb());
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
