/**
 * Rendering engines shared by the viewports of one screen. Each engine holds one WebGL
 * context, and browsers allow only a few, so a grid's viewports share one; viewports that
 * synchronise (scroll, window, zoom) must also live in the same engine for Cornerstone's
 * synchronizers. The first viewport to ask creates the engine, the last to leave destroys it.
 */
import { getRenderingEngine, RenderingEngine } from '@cornerstonejs/core'

const users = new Map<string, number>()

export function acquireEngine(engineId: string): RenderingEngine {
  users.set(engineId, (users.get(engineId) ?? 0) + 1)
  return (getRenderingEngine(engineId) as RenderingEngine | undefined) ?? new RenderingEngine(engineId)
}

/** Gives a viewport's place in the engine back; the engine goes with its last viewport. */
export function releaseEngine(engineId: string, viewportId: string): void {
  const engine = getRenderingEngine(engineId)
  const left = (users.get(engineId) ?? 1) - 1
  if (left > 0) {
    users.set(engineId, left)
    if (engine?.getViewport(viewportId)) engine.disableElement(viewportId)
    return
  }
  users.delete(engineId)
  engine?.destroy()
}
