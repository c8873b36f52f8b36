/**
 * A small filesystem of its own (a tmpfs of a given size), for tests of what happens when the
 * disk is full. Mounting needs root: without it the test fails and says so, rather than being
 * skipped and counted as passed.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rmdir, statfs } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface SmallFilesystem {
  /** Where it is mounted. */
  readonly dir: string
  readonly sizeBytes: number
  /** Bytes still free. */
  free(): Promise<number>
  /** Unmounts (retrying while processes still let go of it) and removes the mount point. */
  unmount(): Promise<void>
}

/** Mounts a tmpfs of `sizeMb` megabytes (MiB) on a new temporary folder. */
export async function mountSmallFilesystem(sizeMb: number): Promise<SmallFilesystem> {
  if (process.getuid?.() !== 0) {
    throw new Error(`this test mounts a ${sizeMb} MB tmpfs to fill it, which needs root (uid 0; running as uid ${process.getuid?.()}): run it as root, as CI does`)
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rw-small-fs-'))
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir])
  const stats = await statfs(dir)
  const sizeBytes = stats.blocks * stats.bsize
  if (Math.abs(sizeBytes - sizeMb * 1024 * 1024) > 1024 * 1024) {
    await run('umount', [dir]).catch(() => undefined)
    throw new Error(`the tmpfs on ${dir} has ${sizeBytes} bytes, not ${sizeMb} MB`)
  }
  return {
    dir,
    sizeBytes,
    free: async () => {
      const s = await statfs(dir)
      return s.bavail * s.bsize
    },
    async unmount() {
      for (let attempt = 1; ; attempt++) {
        try {
          await run('umount', [dir])
          break
        } catch (error) {
          if (attempt >= 20) throw error
          await new Promise((resolve) => setTimeout(resolve, 250))
        }
      }
      await rmdir(dir)
    },
  }
}
