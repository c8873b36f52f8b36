import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWriteQueue } from './write-queue.ts'

describe('createWriteQueue', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'write-queue-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes every file by the time it drains, more than its limit in all', async () => {
    const queue = createWriteQueue(2)
    for (let index = 0; index < 10; index++) await queue.write(path.join(dir, `${index}.bin`), new Uint8Array([index]))
    await queue.drain()
    expect((await readdir(dir)).length).toBe(10)
  })

  it('reports a failed write instead of losing it', async () => {
    const queue = createWriteQueue(4)
    await queue.write(path.join(dir, 'missing-folder', 'a.bin'), new Uint8Array(1))
    await expect(queue.drain()).rejects.toThrow(/ENOENT/)
  })
})
