/**
 * Zod's jitless mode for the sync worker, as renderer/public/zod-jitless.js sets it for the page:
 * without it Zod probes `new Function`, which the workstation's CSP refuses (a violation report
 * at every start). Imported first by sync.worker.ts, so it runs before Zod loads.
 */
const global = globalThis as { __zod_globalConfig?: Record<string, unknown> }
global.__zod_globalConfig = { ...global.__zod_globalConfig, jitless: true }
