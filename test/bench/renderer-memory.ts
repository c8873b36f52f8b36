/**
 * The memory of Chromium's processes, read from /proc (Linux): which renderer process a new
 * page got, its peak resident set (VmHWM, the high-water mark since the process started, so a
 * page in a process of its own gives the peak of its whole visit), and the GPU process's
 * resident set, sampled. The browser is a child of this Node process.
 */
import { readdirSync, readFileSync } from 'node:fs'

interface ProcessInfo {
  pid: number
  type: string
  rssKb: number
  hwmKb: number
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser'
    return { pid, type, rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0), hwmKb: Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0) }
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

export function rendererPids(): Set<number> {
  return new Set(chromiumProcesses().filter((p) => p.type === 'renderer').map((p) => p.pid))
}

/** Peak resident set of one process so far, MB. */
export function peakRssMb(pid: number): number {
  const info = readProcess(pid)
  if (!info) throw new Error(`process ${pid} is gone`)
  return info.hwmKb / 1024
}

/** Samples the GPU process's resident set every `intervalMs` until stopped; gives its growth over the first sample, MB. */
export function sampleGpuProcess(intervalMs = 200): { stop(): number } {
  const gpu = chromiumProcesses().find((p) => p.type === 'gpu-process')
  const baseline = gpu?.rssKb ?? 0
  let peak = baseline
  const timer = setInterval(() => {
    const now = gpu ? readProcess(gpu.pid) : undefined
    if (now) peak = Math.max(peak, now.rssKb)
  }, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      return (peak - baseline) / 1024
    },
  }
}
