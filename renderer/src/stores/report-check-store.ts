/**
 * The teleradiology report check (読影レポートチェック) of the open assignment, online only.
 * For the checker of a 'check' assignment: the case, the first report's latest version (the
 * baseline of the tracked changes), the master, and a working copy of the content they edit in
 * place; they approve it, approve their amendment (with a reason) or return it with a comment.
 * For the first reader: their report's versions, the checker's return comment, and a working
 * copy to send as a correction (with a reason). Nothing here is kept on disk.
 */
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { FindingMaster, ReportContent, ReportFinding, ReportIssue } from '../../../shared/finding-master.ts'
import type { CheckDecisionRequest, ReadingCase, ReportVersion } from '../../../shared/reading-case-contract.ts'
import { validateReport } from '../../../shared/report-rules.ts'
import type { ReadingCaseClient } from '../api/reading-case-client.ts'
import { ReportRejectedError } from '../api/report-client.ts'
import { RequestError } from '../api/request-error.ts'
import { withFindingAdded, withFindingRemoved, withFindingUpdated, withOverride } from './report-content-edits.ts'

export type ReportCheckRole = 'checker' | 'first-reader'

export interface ReportCheckState {
  assignment: Assignment | null
  role: ReportCheckRole | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  readingCase: ReadingCase | null
  master: FindingMaster | null
  /** Every version of the first report, oldest first (only the latest when the server would not list them). */
  versions: ReportVersion[]
  /**
   * What the working copy's tracked changes are shown against: for the checker, the version
   * they are checking; for the first reader, their last version before the checker's amendment.
   */
  baseline: ReportVersion | null
  /** The checker's amendment or the first reader's correction, as edited so far. */
  content: ReportContent | null
  issues: ReportIssue[]
  /** A decision or correction is being sent: the buttons wait. */
  busy: boolean
  error: string | null
  /** The server's reasons for refusing the content (the master's rules), translated. */
  rejection: Array<{ ja: string; en: string }>
  open(assignment: Assignment): Promise<void>
  /** Loads the case again (after someone else changed it). */
  reload(): Promise<void>
  /** The worklist arrived: when it says the open case moved on (a correction came in, a decision was taken), it is loaded again. */
  worklistChanged(assignments: readonly Assignment[]): void
  close(): void
  addFinding(findingCode: string, bodyPartCode: string, laterality?: 'R' | 'L' | 'B'): number
  updateFinding(index: number, changes: Partial<ReportFinding>): void
  removeFinding(index: number): void
  setImpression(text: string): void
  setOverride(override: ReportContent['overallOverride'] | undefined): void
  /** The working copy back to the baseline. */
  resetContent(): void
  /** Checker: approve the first report as it is. True when the server recorded it. */
  approve(comment: string): Promise<boolean>
  /** Checker: approve the working copy as an amendment of the first report, with the reason. */
  amend(reason: string): Promise<boolean>
  /** Checker: send the report back to the first reader with a comment. */
  returnReport(comment: string): Promise<boolean>
  /** First reader, case returned: send the working copy as a correction, with the reason. */
  correct(reason: string): Promise<boolean>
}

export interface ReportCheckDeps {
  /** The reading-case client of the logged-in session. */
  client(): ReadingCaseClient
  /** The master an assignment is reported against. */
  loadMaster(assignmentId: string): Promise<FindingMaster>
  /** A new idempotency key. */
  newKey?: () => string
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))
/** The server said the case is no longer where this screen thought (decided elsewhere, or by a retry whose answer was lost). */
const isConflict = (error: unknown) => error instanceof RequestError && error.status === 409

function roleOf(assignment: Assignment): ReportCheckRole | null {
  if (assignment.readingType === 'check') return 'checker'
  if (assignment.readingType === 'first' && assignment.readingCase?.workflow === 'check') return 'first-reader'
  return null
}

/** The version the working copy starts from and is compared with, given the case and the versions. */
function baselineOf(role: ReportCheckRole, readingCase: ReadingCase, versions: ReportVersion[]): ReportVersion | null {
  const latest = versions.at(-1) ?? null
  if (readingCase.status !== 'amended') return latest
  // amended: the changes worth showing are the checker's, against the version they checked
  return versions.findLast((v) => v.kind !== 'amendment') ?? (role === 'checker' ? latest : null)
}

export function createReportCheckStore(deps: ReportCheckDeps) {
  const newKey = deps.newKey ?? (() => globalThis.crypto.randomUUID())
  /** The key of an amendment or correction in flight: the same payload sent again is the same request. */
  let pending: { payload: string; key: string } | null = null
  /** Set synchronously by an action, so that a double click sends one request. */
  let sending = false

  const keyFor = (payload: unknown) => {
    const text = JSON.stringify(payload)
    if (pending?.payload !== text) pending = { payload: text, key: newKey() }
    return pending.key
  }

  return create<ReportCheckState>((set, get) => {
    function change(next: ReportContent): void {
      const { master } = get()
      set({ content: next, issues: master ? validateReport(master, next) : [], rejection: [] })
    }

    async function load(assignment: Assignment, keepContent: boolean): Promise<void> {
      const role = roleOf(assignment)
      const caseId = assignment.readingCase?.id
      if (!role || !caseId) {
        set({ status: 'error', error: 'this assignment is not part of a report check' })
        return
      }
      const client = deps.client()
      const [readingCase, master] = await Promise.all([client.readingCase(caseId), deps.loadMaster(assignment.id)])
      const first = readingCase.reads.find((r) => r.readingType === 'first')
      let versions: ReportVersion[] = first?.latest ? [first.latest] : []
      if (first?.reportId && (role === 'first-reader' || readingCase.status === 'amended')) {
        // the history is the reader's own; a checker needs it only to show an amendment's changes
        versions = await client.versions(first.reportId).catch(() => versions)
      }
      if (get().assignment?.id !== assignment.id) return
      const baseline = baselineOf(role, readingCase, versions)
      const content = keepContent && get().content ? get().content! : (versions.at(-1)?.content ?? null)
      set({ role, readingCase, master, versions, baseline, content, issues: content ? validateReport(master, content) : [], status: 'ready' })
    }

    /** Runs one request at a time; a refused request leaves the working copy as it is. */
    async function send(request: () => Promise<void>): Promise<boolean> {
      if (sending || get().busy) return false
      sending = true
      set({ busy: true, error: null, rejection: [] })
      try {
        await request()
        pending = null
        return true
      } catch (error) {
        if (error instanceof ReportRejectedError) {
          set({ rejection: error.issues.map((i) => i.message), error: error.issues.length ? null : error.message })
        } else {
          set({ error: messageOf(error) })
          // decided meanwhile (elsewhere, or our own earlier try): show the case as it now is
          const { assignment } = get()
          if (isConflict(error) && assignment) await load(assignment, true).catch(() => {})
        }
        return false
      } finally {
        sending = false
        set({ busy: false })
      }
    }

    async function decide(decision: CheckDecisionRequest, key?: string): Promise<void> {
      const { readingCase, assignment } = get()
      if (!readingCase || !assignment) throw new Error('no report check is open')
      const answer = await deps.client().checkDecision(readingCase.id, decision, key)
      if (get().assignment?.id !== assignment.id) return
      const first = answer.reads.find((r) => r.readingType === 'first')
      const versions = first?.latest && first.latest.version !== get().versions.at(-1)?.version ? [...get().versions, first.latest] : get().versions
      set({ readingCase: answer, versions, baseline: baselineOf('checker', answer, versions) })
    }

    return {
      assignment: null,
      role: null,
      status: 'idle',
      readingCase: null,
      master: null,
      versions: [],
      baseline: null,
      content: null,
      issues: [],
      busy: false,
      error: null,
      rejection: [],

      async open(assignment) {
        pending = null
        set({ assignment, role: roleOf(assignment), status: 'loading', readingCase: null, master: null, versions: [], baseline: null, content: null, issues: [], error: null, rejection: [] })
        try {
          await load(assignment, false)
        } catch (error) {
          if (get().assignment?.id === assignment.id) set({ status: 'error', error: messageOf(error) })
        }
      },

      async reload() {
        const { assignment } = get()
        if (!assignment) return
        try {
          await load(assignment, false)
        } catch (error) {
          set({ error: messageOf(error) })
        }
      },

      worklistChanged(assignments) {
        const { assignment, readingCase, status, busy } = get()
        const now = assignment && assignments.find((a) => a.id === assignment.id)
        // our own decision in flight moves the case too: its answer is what counts
        if (!now?.readingCase || !readingCase || status !== 'ready' || busy || now.readingCase.status === readingCase.status) return
        set({ assignment: now })
        void get().reload()
      },

      close() {
        pending = null
        set({ assignment: null, role: null, status: 'idle', readingCase: null, master: null, versions: [], baseline: null, content: null, issues: [], error: null, rejection: [] })
      },

      addFinding(findingCode, bodyPartCode, laterality) {
        const { master, content } = get()
        const next = master && content ? withFindingAdded(master, content, findingCode, bodyPartCode, laterality) : null
        if (!next || !content) return -1
        change(next)
        return content.findings.length
      },
      updateFinding(index, changes) {
        const { content } = get()
        if (content) change(withFindingUpdated(content, index, changes))
      },
      removeFinding(index) {
        const { content } = get()
        if (content) change(withFindingRemoved(content, index))
      },
      setImpression(text) {
        const { content } = get()
        if (content && content.impression !== text) change({ ...content, impression: text })
      },
      setOverride(override) {
        const { content } = get()
        if (content) change(withOverride(content, override))
      },
      resetContent() {
        const { baseline } = get()
        if (baseline) change(baseline.content)
      },

      approve(comment) {
        return send(() => decide({ decision: 'approve', comment: comment.trim() }))
      },

      amend(reason) {
        const { content, issues, readingCase } = get()
        if (!content || !readingCase || issues.length > 0 || !reason.trim()) return Promise.resolve(false)
        const decision: CheckDecisionRequest = { decision: 'amend', content, reason: reason.trim() }
        const key = keyFor({ caseId: readingCase.id, ...decision })
        return send(() => decide(decision, key))
      },

      returnReport(comment) {
        if (!comment.trim()) return Promise.resolve(false)
        return send(() => decide({ decision: 'return', comment: comment.trim() }))
      },

      correct(reason) {
        const { content, issues, baseline, assignment } = get()
        const reportId = get().readingCase?.reads.find((r) => r.readingType === 'first')?.reportId
        if (!content || !reportId || !baseline || !assignment || issues.length > 0 || !reason.trim()) return Promise.resolve(false)
        const key = keyFor({ reportId, content, reason: reason.trim() })
        return send(async () => {
          const versions = await deps.client().correct(reportId, content, reason.trim(), key)
          if (get().assignment?.id !== assignment.id) return
          set({ versions, baseline: versions.at(-1) ?? baseline })
          // the case is back with the checker: its status (and the return comment) changed
          const readingCase = await deps.client().readingCase(get().readingCase!.id).catch(() => null)
          if (readingCase && get().assignment?.id === assignment.id) set({ readingCase })
        })
      },
    }
  })
}
