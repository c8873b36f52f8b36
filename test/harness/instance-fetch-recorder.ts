/**
 * A fetch for the sync engine that records every WADO-RS instance retrieval (which SOP
 * Instance, from where, with which outcome, in which phase of the test) and can hold
 * retrievals back or change them, so a test can stop a download at a chosen point instead of
 * racing it.
 */

/** One WADO-RS retrieval of a single instance. */
export interface InstanceRetrieval {
  /** The server asked, e.g. "http://127.0.0.1:8042". */
  origin: string
  sopInstanceUid: string
  /** The HTTP status, or 'unreachable' when the request failed before any answer. */
  outcome: number | 'unreachable'
  /** The phase (see setPhase) when the request was sent. */
  phase: string
}

/** Stands between the engine and the server for one instance request: `send` performs it. */
export type InstanceRequestHook = (sopInstanceUid: string, send: () => Promise<Response>) => Promise<Response>

export interface InstanceFetchRecorder {
  readonly fetch: typeof fetch
  readonly retrievals: readonly InstanceRetrieval[]
  /** Labels the retrievals sent from now on. */
  setPhase(phase: string): void
  /** Lets `count` more instance requests through; later ones wait, unsent, until release(). */
  holdAfter(count: number): void
  release(): void
  /** Instance requests waiting for release(). */
  readonly heldCount: number
  /** Routes instance requests through `hook` (null: straight to the server). */
  intercept(hook: InstanceRequestHook | null): void
  /** SOP Instance UIDs retrieved with 200, in order, optionally only those sent in one phase. */
  retrieved(phase?: string): string[]
}

// a single instance, not its metadata, frames or rendered form
const INSTANCE_PATH = /\/studies\/[0-9.]+\/series\/[0-9.]+\/instances\/([0-9.]+)$/

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input
  return input instanceof URL ? input.href : input.url
}

/** Wraps `inner` (by default the global fetch). */
export function recordInstanceFetches(inner: typeof fetch = globalThis.fetch.bind(globalThis)): InstanceFetchRecorder {
  const retrievals: InstanceRetrieval[] = []
  let phase = 'start'
  let allowance: number | null = null
  let heldCount = 0
  let release: () => void = () => undefined
  let gate = Promise.resolve()
  let hook: InstanceRequestHook | null = null

  const recording: typeof fetch = async (input, init) => {
    const url = new URL(urlOf(input))
    const match = INSTANCE_PATH.exec(url.pathname)
    if (!match) return inner(input, init)
    if (allowance !== null && allowance <= 0) {
      heldCount += 1
      await gate
      heldCount -= 1
    } else if (allowance !== null) {
      allowance -= 1
    }
    const sopInstanceUid = match[1] as string
    const entry: InstanceRetrieval = { origin: url.origin, sopInstanceUid, outcome: 'unreachable', phase }
    try {
      const send = () => inner(input, init)
      const response = await (hook ? hook(sopInstanceUid, send) : send())
      entry.outcome = response.status
      return response
    } finally {
      retrievals.push(entry)
    }
  }

  return {
    fetch: recording,
    retrievals,
    setPhase(next) {
      phase = next
    },
    holdAfter(count) {
      allowance = count
      gate = new Promise((resolve) => (release = resolve))
    },
    release() {
      allowance = null
      release()
    },
    get heldCount() {
      return heldCount
    },
    intercept(next) {
      hook = next
    },
    retrieved(only) {
      return retrievals.filter((r) => r.outcome === 200 && (only === undefined || r.phase === only)).map((r) => r.sopInstanceUid)
    },
  }
}
