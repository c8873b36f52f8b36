/**
 * The memory of Chromium's processes, read from /proc (Linux): the resident set of each,
 * sampled while a page works. The browser is a child of this Node process.
 */
import { readdirSync, readFileSync } from 'node:fs'

interface ProcessInfo {
  pid: number
  type: string
  rssKb: number
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser'
    return { pid, type, rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) }
  } catch {
    return undefined // the process ended while we looked
  }
}

/** Chromium's processes among the descendants of `rootPid` (default: this process). */
export function chromiumProcesses(rootPid = process.pid): ProcessInfo[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    try {
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
      children.set(ppid, [...(children.get(ppid) ?? []), pid])
    } catch {
      // gone
    }
  }
  const found: ProcessInfo[] = []
  const stack = [...(children.get(rootPid) ?? [])]
  while (stack.length) {
    const pid = stack.pop()!
    stack.push(...(children.get(pid) ?? []))
    const info = readProcess(pid)
    if (info && /chrom/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) found.push(info)
  }
  return found
}

/** Peak and growth of one process over a sampling period, MB. */
export interface SampledProcess {
  pid: number
  type: string
  peakMb: number
  growthMb: number
}

/**
 * Samples the resident set of every Chromium process every `intervalMs` until stopped. The
 * page under test is the renderer that grew the most (an idle page, or the spare renderer
 * Chromium keeps ready for the next navigation, stays flat); the GPU process holds what
 * SwiftShader keeps of textures.
 */
export function sampleProcesses(intervalMs = 200): { stop(): SampledProcess[] } {
  const first = new Map<number, { type: string; rssKb: number }>()
  const peak = new Map<number, number>()
  const sample = () => {
    for (const p of chromiumProcesses()) {
      if (!first.has(p.pid)) first.set(p.pid, { type: p.type, rssKb: p.rssKb })
      peak.set(p.pid, Math.max(peak.get(p.pid) ?? 0, p.rssKb))
    }
  }
  sample()
  const timer = setInterval(sample, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return [...first].map(([pid, { type, rssKb }]) => ({ pid, type, peakMb: (peak.get(pid) ?? 0) / 1024, growthMb: ((peak.get(pid) ?? 0) - rssKb) / 1024 }))
    },
  }
}
