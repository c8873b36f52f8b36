/**
 * The reading case of the open assignment as this reader may see it (double reading: the other
 * read stays blinded until this reader's own is in), and the comparison's and committee's
 * decisions. Fetched online only and held in memory: nothing of a case is written to the local
 * database, so a read this reader may not see yet can never sit on this computer's disk.
 */
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { FindingMaster } from '../../../shared/finding-master.ts'
import type { ConsensusRequest, ReadingCase } from '../../../shared/reading-case-contract.ts'
import type { ReadingCaseClient } from '../api/reading-case-client.ts'
import { RequestError } from '../api/request-error.ts'

export type ReadingCasePhase = 'idle' | 'loading' | 'ready' | 'error'

/** Why the case could not be loaded or a decision recorded: offline, or what the server said. */
export interface ReadingCaseProblem {
  kind: 'offline' | 'failed'
  /** Getting the case, or recording a decision. */
  during: 'load' | 'decision'
  detail: string
}

export interface ReadingCaseState {
  assignment: Assignment | null
  readingCase: ReadingCase | null
  /** The master of the reads (labels, the judgement scale); null until loaded or when it cannot be. */
  master: FindingMaster | null
  phase: ReadingCasePhase
  /** A decision is on its way to the server; further decisions are ignored until it returns. */
  busy: boolean
  problem: ReadingCaseProblem | null
  /** Opens the case of an assignment and marks the start of its reading (best effort). */
  open(assignment: Assignment): Promise<void>
  /** Gets the case again from the server. */
  refresh(): Promise<void>
  /** The worklist arrived: when the open assignment's case moved on, the case is fetched again. */
  worklistChanged(assignments: readonly Assignment[]): void
  /** The open assignment's report reached the server: its case moved on. */
  reportSent(assignmentId: string): void
  /** The comparison's final judgement; true when the server recorded it. */
  consensus(decision: ConsensusRequest): Promise<boolean>
  sendToCommittee(reason: string): Promise<boolean>
  committeeDecision(decision: ConsensusRequest): Promise<boolean>
  close(): void
}

export interface ReadingCaseDeps {
  /** The reading-case API of the logged-in session, or null when nobody is logged in. */
  client(): ReadingCaseClient | null
  loadMaster(assignmentId: string): Promise<FindingMaster>
  /** Where failures that the reader need not see are recorded (the start of a reading). */
  log(message: string, error: unknown): void
}

function problemOf(error: unknown, during: ReadingCaseProblem['during']): ReadingCaseProblem {
  if (error instanceof RequestError && error.failure === 'unreachable') return { kind: 'offline', during, detail: error.message }
  return { kind: 'failed', during, detail: error instanceof Error ? error.message : String(error) }
}

/** Whether the worklist's view of an assignment says its case (or its own status) changed. */
function caseMovedOn(before: Assignment, after: Assignment): boolean {
  return (
    before.status !== after.status ||
    before.readingCase?.status !== after.readingCase?.status ||
    before.readingCase?.waitingOnOthers !== after.readingCase?.waitingOnOthers
  )
}

const closed = { assignment: null, readingCase: null, master: null, phase: 'idle' as const, busy: false, problem: null }

export function createReadingCaseStore(deps: ReadingCaseDeps) {
  /** Increases with every open and close: an answer for an earlier one is dropped. */
  let generation = 0

  return create<ReadingCaseState>((set, get) => {
    /** Runs a decision once at a time; the case the server answers with replaces the one shown. */
    async function decide(send: (client: ReadingCaseClient, caseId: string) => Promise<ReadingCase>): Promise<boolean> {
      const { readingCase, busy } = get()
      if (busy || !readingCase) return false
      const client = deps.client()
      if (!client) {
        set({ problem: { kind: 'failed', during: 'decision', detail: 'not logged in' } })
        return false
      }
      const mine = generation
      set({ busy: true, problem: null })
      try {
        const next = await send(client, readingCase.id)
        if (mine === generation) set({ readingCase: next, busy: false })
        return true
      } catch (error) {
        if (mine !== generation) return false
        set({ busy: false, problem: problemOf(error, 'decision') })
        // someone else decided meanwhile (409): show the case as it is now
        if (error instanceof RequestError && error.status === 409) await get().refresh()
        return false
      }
    }

    return {
      ...closed,

      async open(assignment) {
        const mine = ++generation
        set({ ...closed, assignment, phase: assignment.readingCase ? 'loading' : 'idle' })
        const client = deps.client()
        // the start of the reading time: once per opening; the server keeps the first
        if (client && assignment.status !== 'submitted') client.start(assignment.id).catch((error: unknown) => deps.log(`the start of reading ${assignment.id} was not recorded`, error))
        if (!assignment.readingCase) return
        const master = deps
          .loadMaster(assignment.id)
          .then((m) => {
            if (mine === generation) set({ master: m })
          })
          // without the master the view shows codes instead of names
          .catch((error: unknown) => deps.log(`the finding master of ${assignment.id} could not be loaded`, error))
        await Promise.all([get().refresh(), master])
      },

      async refresh() {
        const { assignment } = get()
        const caseId = assignment?.readingCase?.id
        if (!assignment || !caseId) return
        const mine = generation
        const client = deps.client()
        if (!client) {
          set({ phase: 'error', problem: { kind: 'failed', during: 'load', detail: 'not logged in' } })
          return
        }
        try {
          const readingCase = await client.readingCase(caseId)
          if (mine === generation) set({ readingCase, phase: 'ready', problem: null })
        } catch (error) {
          // a case already shown stays on screen with the problem beside it
          if (mine === generation) set({ phase: get().readingCase ? 'ready' : 'error', problem: problemOf(error, 'load') })
        }
      },

      worklistChanged(assignments) {
        const open = get().assignment
        if (!open) return
        const now = assignments.find((a) => a.id === open.id)
        if (!now || !caseMovedOn(open, now)) return
        set({ assignment: now })
        void get().refresh()
      },

      reportSent(assignmentId) {
        if (get().assignment?.id === assignmentId) void get().refresh()
      },

      consensus: (decision) => decide((client, caseId) => client.consensus(caseId, decision)),
      sendToCommittee: (reason) => decide((client, caseId) => client.sendToCommittee(caseId, reason)),
      committeeDecision: (decision) => decide((client, caseId) => client.committeeDecision(caseId, decision)),

      close() {
        generation++
        set({ ...closed })
      },
    }
  })
}
