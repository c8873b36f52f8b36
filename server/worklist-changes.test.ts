import { describe, expect, it } from 'vitest'
import { WorklistChanges } from './worklist-changes.ts'

describe('worklist change notifications', () => {
  it("wakes only the changed user's waits, and counts changes per user", async () => {
    const changes = new WorklistChanges()
    const since = changes.generation('u1')
    const waiting = changes.wait('u1', since, 10_000)
    const other = changes.wait('u2', changes.generation('u2'), 50)
    expect(changes.pendingCount).toBe(2)
    changes.notify(['u1'])
    expect(await waiting).toBe('changed')
    expect(await other).toBe('timeout')
    expect(changes.generation('u1')).toBe(since + 1)
    expect(changes.pendingCount).toBe(0)
  })

  it('answers at once when a change came between reading the counter and waiting', async () => {
    const changes = new WorklistChanges()
    const since = changes.generation('u1')
    changes.notify(['u1'])
    expect(await changes.wait('u1', since, 10_000)).toBe('changed')
  })

  it('tells listeners which users changed until they stop listening', () => {
    const changes = new WorklistChanges()
    const heard: string[][] = []
    const stop = changes.onNotify((users) => heard.push([...users]))
    changes.notify(['u1', 'u2', 'u1'])
    stop()
    changes.notify(['u3'])
    expect(heard).toEqual([['u1', 'u2']])
  })

  it('stops waiting on abort and on close, and refuses to wait once closed', async () => {
    const changes = new WorklistChanges()
    const controller = new AbortController()
    const aborted = changes.wait('u1', 0, 10_000, controller.signal)
    controller.abort()
    expect(await aborted).toBe('aborted')
    const closing = changes.wait('u1', 0, 10_000)
    changes.close()
    expect(await closing).toBe('closed')
    expect(await changes.wait('u1', 0, 10_000)).toBe('closed')
    expect(changes.pendingCount).toBe(0)
  })
})
