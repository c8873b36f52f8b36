/**
 * The report being written for the open assignment: its findings, overall judgement, free
 * text, key images and measurements, saved locally after every change, submitted through the outbox.
 */
import { create } from 'zustand'
import type { Assignment } from '../../../shared/api-contract.ts'
import type { FindingMaster, ReportContent, ReportFinding, ReportIssue } from '../../../shared/finding-master.ts'
import { keyImageRefSchema, measurementSchema, sameImage, type KeyImageRef, type Measurement } from '../../../shared/report-annotations.ts'
import { validateReport } from '../../../shared/report-rules.ts'
import type { ReportDraft } from '../cache/report-draft-store.ts'
import { markDraftSaved } from '../perf-marks.ts'
import type { ReportStorage } from '../repositories/report-repository.ts'
import { emptyReport } from '../repositories/report-repository.ts'

const LATERALITY_JA = { R: '右', L: '左', B: '両側' } as const

/** The limits of the report contract: beyond them the draft could not be read back, nor the report sent. */
export const MAX_KEY_IMAGES = 200
export const MAX_MEASUREMENTS = 500

export type ReportStatus = 'loading' | 'editing' | 'queued' | 'sent' | 'error'

export interface ReportState {
  assignment: Assignment | null
  master: FindingMaster | null
  content: ReportContent | null
  status: ReportStatus
  /** When the draft was last saved locally (ms). */
  savedAt: number | null
  /** Changes made since the last save finished: the panel must not say "saved" while the last keys are on their way. */
  unsavedChanges: boolean
  /** The server's reason when it refused the last submission. */
  rejection: string | null
  issues: ReportIssue[]
  error: string | null
  open(assignment: Assignment): Promise<void>
  close(): void
  addFinding(findingCode: string, bodyPartCode: string, laterality?: 'R' | 'L' | 'B'): number
  updateFinding(index: number, changes: Partial<ReportFinding>): void
  removeFinding(index: number): void
  /** Links the image (SOP Instance UID) to a finding as a key image, or unlinks it when linked. */
  toggleFindingKeyImage(index: number, sopInstanceUid: string): void
  /** Marks the image (SOP instance and frame) as a key image of the report, or unmarks it when marked. */
  toggleKeyImage(ref: KeyImageRef): void
  /** Adds the viewer's measurement, or replaces the one with its id (edited in the viewer). */
  upsertMeasurement(measurement: Measurement): void
  /** Deletes the measurement, and its links from the findings. */
  removeMeasurement(id: string): void
  /** Links the measurement to the finding, or unlinks it when linked. */
  toggleMeasurementLink(index: number, measurementId: string): void
  setImpression(text: string): void
  setOverride(override: ReportContent['overallOverride'] | undefined): void
  /** 要比較読影 and the priors compared (double-ui): changed only while the report is being written. */
  setPriorComparison(changes: Pick<ReportContent, 'needsPriorComparison' | 'priorsCompared'>): void
  submit(): Promise<void>
  /** The sync worker reported what became of a queued report. */
  outboxResult(assignmentId: string, result: { sent: true } | { sent: false; reason: string }): Promise<void>
}

export interface ReportDeps {
  loadMaster(assignmentId: string): Promise<FindingMaster>
  storage: ReportStorage
  /** Tells the sync worker that the outbox has something to send. */
  notifyOutbox(): void
  saveDelayMs?: number
}

export function createReportStore(deps: ReportDeps) {
  let saveTimer: ReturnType<typeof setTimeout> | null = null
  /** The save in progress, if any: Submit waits for it so that the two cannot cross. */
  let saving: Promise<void> = Promise.resolve()
  let submitting = false
  /** The newest unsaved content of each assignment, waiting for the save in progress. */
  const waitingDrafts = new Map<string, ReportDraft>()

  return create<ReportState>((set, get) => {
    function scheduleSave(): void {
      // the first change after a save starts the clock and later ones ride along (saveNow takes
      // the content as it is then): a reader typing without pause is saved every 250 ms. Restarting
      // the clock on every key would save nothing until a pause, and a crash would take it all.
      saveTimer ??= setTimeout(() => void saveNow(), deps.saveDelayMs ?? 250)
    }
    function saveNow(): Promise<void> {
      saveTimer = null
      const { assignment, content, status } = get()
      if (!assignment || !content || status !== 'editing') return saving
      const alreadyQueued = waitingDrafts.size > 0
      waitingDrafts.set(assignment.id, { assignmentId: assignment.id, studyInstanceUid: assignment.studyInstanceUid, content, updatedAt: Date.now() })
      // a save already waiting for the one in progress takes this content too: a disk slower
      // than the typing delays the saves, it does not pile them up
      if (alreadyQueued) return saving
      saving = saving.then(async () => {
        const drafts = [...waitingDrafts.values()]
        waitingDrafts.clear()
        for (const draft of drafts) {
          try {
            const saved = await deps.storage.save(draft)
            if (saved) markDraftSaved(draft.updatedAt)
            if (saved && get().assignment?.id === draft.assignmentId) set({ savedAt: draft.updatedAt, unsavedChanges: get().content !== draft.content })
          } catch (error) {
            if (get().assignment?.id === draft.assignmentId) set({ error: `the draft could not be saved: ${error instanceof Error ? error.message : String(error)}` })
          }
        }
      })
      return saving
    }
    function change(next: ReportContent): void {
      const { master } = get()
      set({ content: next, issues: master ? validateReport(master, next) : [], unsavedChanges: true })
      scheduleSave()
    }

    return {
      assignment: null,
      master: null,
      content: null,
      status: 'loading',
      savedAt: null,
      unsavedChanges: false,
      rejection: null,
      issues: [],
      error: null,

      async open(assignment) {
        set({ assignment, master: null, content: null, status: 'loading', savedAt: null, unsavedChanges: false, rejection: null, issues: [], error: null })
        try {
          const [master, draft, outbox] = await Promise.all([deps.loadMaster(assignment.id), deps.storage.load(assignment.id), deps.storage.outboxState(assignment.id)])
          if (get().assignment?.id !== assignment.id) return
          const content = draft?.content ?? emptyReport(master, assignment)
          const status: ReportStatus = !draft && (outbox?.state === 'pending' || assignment.status === 'submitted' || outbox?.state === 'sent') ? (outbox?.state === 'pending' ? 'queued' : 'sent') : 'editing'
          set({ master, content, status, savedAt: draft?.updatedAt ?? null, rejection: outbox?.state === 'rejected' ? (outbox.rejection ?? null) : null, issues: validateReport(master, content) })
        } catch (error) {
          set({ status: 'error', error: error instanceof Error ? error.message : String(error) })
        }
      },

      close() {
        if (saveTimer) {
          clearTimeout(saveTimer)
          void saveNow()
        }
        set({ assignment: null, master: null, content: null, status: 'loading', issues: [], error: null })
      },

      addFinding(findingCode, bodyPartCode, laterality) {
        const { master, content } = get()
        const finding = master?.findings.find((f) => f.code === findingCode)
        const bodyPart = master?.bodyParts.find((b) => b.code === bodyPartCode)
        if (!master || !content || !finding || !bodyPart) return -1
        // the body part (with its side) is the location until the reader writes a finer one
        const side = laterality ? LATERALITY_JA[laterality] : ''
        const entry: ReportFinding = { findingCode, bodyPartCode, judgement: finding.defaultJudgement, location: side + bodyPart.name.ja, keyImages: [], measurements: [], ...(laterality ? { laterality } : {}) }
        change({ ...content, findings: [...content.findings, entry] })
        return content.findings.length
      },

      updateFinding(index, changes) {
        const { content } = get()
        if (!content?.findings[index]) return
        change({ ...content, findings: content.findings.map((f, i) => (i === index ? { ...f, ...changes } : f)) })
      },

      removeFinding(index) {
        const { content } = get()
        if (!content) return
        change({ ...content, findings: content.findings.filter((_, i) => i !== index) })
      },

      toggleFindingKeyImage(index, sopInstanceUid) {
        const entry = get().content?.findings[index]
        if (!entry) return
        const keyImages = entry.keyImages.includes(sopInstanceUid) ? entry.keyImages.filter((k) => k !== sopInstanceUid) : [...entry.keyImages, sopInstanceUid]
        get().updateFinding(index, { keyImages })
      },

      toggleKeyImage(ref) {
        const { content, status } = get()
        // a queued or sent report no longer changes; K on its images does nothing
        if (!content || status !== 'editing') return
        if (content.keyImages.some((k) => sameImage(k, ref))) {
          change({ ...content, keyImages: content.keyImages.filter((k) => !sameImage(k, ref)) })
          return
        }
        const parsed = keyImageRefSchema.safeParse(ref)
        if (!parsed.success) return set({ error: `not a key image reference: ${parsed.error.issues[0]?.message ?? ''}` })
        if (content.keyImages.length >= MAX_KEY_IMAGES) return set({ error: `a report holds at most ${MAX_KEY_IMAGES} key images` })
        change({ ...content, keyImages: [...content.keyImages, parsed.data] })
      },

      upsertMeasurement(measurement) {
        const { content, status } = get()
        if (!content || status !== 'editing') return
        // a value Cornerstone could not compute (NaN for an empty ROI) is left out rather than refusing the measurement
        const values = Object.fromEntries(Object.entries(measurement.values).filter(([, v]) => Number.isFinite(v)))
        const parsed = measurementSchema.safeParse({ ...measurement, values })
        if (!parsed.success) {
          const issue = parsed.error.issues[0]
          return set({ error: `the measurement could not be kept: ${issue ? `${issue.path.join('.')}: ${issue.message}` : ''}` })
        }
        const index = content.measurements.findIndex((m) => m.id === measurement.id)
        if (index >= 0) {
          // the viewer reports every drag step; an unchanged measurement is not a change
          if (JSON.stringify(content.measurements[index]) === JSON.stringify(parsed.data)) return
          change({ ...content, measurements: content.measurements.map((m, i) => (i === index ? parsed.data : m)) })
        } else {
          if (content.measurements.length >= MAX_MEASUREMENTS) return set({ error: `a report holds at most ${MAX_MEASUREMENTS} measurements` })
          change({ ...content, measurements: [...content.measurements, parsed.data] })
        }
      },

      removeMeasurement(id) {
        const { content, status } = get()
        if (!content || status !== 'editing' || !content.measurements.some((m) => m.id === id)) return
        change({
          ...content,
          measurements: content.measurements.filter((m) => m.id !== id),
          findings: content.findings.map((f) => (f.measurements.includes(id) ? { ...f, measurements: f.measurements.filter((m) => m !== id) } : f)),
        })
      },

      toggleMeasurementLink(index, measurementId) {
        const { content } = get()
        const entry = content?.findings[index]
        if (!entry) return
        if (entry.measurements.includes(measurementId)) get().updateFinding(index, { measurements: entry.measurements.filter((m) => m !== measurementId) })
        else if (content.measurements.some((m) => m.id === measurementId)) get().updateFinding(index, { measurements: [...entry.measurements, measurementId] })
      },

      setImpression(text) {
        const { content } = get()
        if (content && content.impression !== text) change({ ...content, impression: text })
      },

      setOverride(override) {
        const { content } = get()
        if (!content) return
        const { overallOverride: _dropped, ...rest } = content
        change(override ? { ...rest, overallOverride: override } : rest)
      },

      setPriorComparison(changes) {
        const { content, status } = get()
        if (content && status === 'editing') change({ ...content, ...changes })
      },

      async submit() {
        const { assignment, content, issues, status } = get()
        // a double click, or Submit while the last one is being queued, sends one report
        if (submitting || !assignment || !content || issues.length > 0 || status !== 'editing') return
        submitting = true
        try {
          if (saveTimer) clearTimeout(saveTimer)
          saveTimer = null
          await saving
          await deps.storage.queue({ assignmentId: assignment.id, studyInstanceUid: assignment.studyInstanceUid, content, updatedAt: Date.now() })
          set({ status: 'queued', rejection: null })
          deps.notifyOutbox()
        } finally {
          submitting = false
        }
      },

      async outboxResult(assignmentId, result) {
        if (get().assignment?.id !== assignmentId) return
        if (result.sent) {
          set({ status: 'sent' })
          return
        }
        const draft = await deps.storage.load(assignmentId)
        set({ status: 'editing', rejection: result.reason, ...(draft ? { content: draft.content } : {}) })
      },
    }
  })
}
