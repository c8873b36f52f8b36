import { describe, expect, it } from 'vitest'
import { createStore } from 'zustand/vanilla'
import { cachedImageId } from '../viewer/cached-image-id.ts'
import { SETTINGS_COALESCE_MS, watchForAudit, type AuditedStores } from './audit-store-watchers.ts'
import type { AuditFields, WorkstationAudit } from './workstation-audit.ts'

type Of<K extends keyof AuditedStores> = AuditedStores[K] extends { getState(): infer S } ? S : never

const SERVER = 'https://reading.example'
const series = (uid: string, study: string, sops: string[]) => ({
  series: { seriesInstanceUid: uid, studyInstanceUid: study, modality: 'CT' },
  instances: sops.map((sopInstanceUid) => ({ sopInstanceUid })),
})

function setup() {
  const recorded: Array<{ owner: string; kind: string } & AuditFields> = []
  const audit: WorkstationAudit = { record: async (owner, kind, fields = {}) => void recorded.push({ owner, kind, ...fields }) }
  const session = createStore<Of<'session'>>(() => ({ status: 'logged-out', user: null, client: null, problem: null }))
  const study = createStore<Of<'study'>>(() => ({ assignment: null, currentImageId: null, series: [], priors: [] }))
  const report = createStore<Of<'report'>>(() => ({ status: 'loading', assignment: null }))
  const settings = createStore<Of<'settings'> & { cineFps: number; overlayVisible: boolean; shortcuts: object }>(() => ({ storageKey: null, cineFps: 10, overlayVisible: true, shortcuts: {} }))
  let clock = 1_000_000
  const timers: Array<() => void> = []
  const stop = watchForAudit(audit, { session, study, report, settings }, { now: () => clock, setTimer: (fn) => timers.push(fn), clearTimer: () => undefined })
  return { recorded, session, study, report, settings, advance: (ms: number) => (clock += ms), timers, stop }
}

const login = (s: ReturnType<typeof setup>, username = 'reader1') =>
  s.session.setState({ status: 'logged-in', user: { username }, client: { serverUrl: SERVER } })

describe('operation-log watchers', () => {
  it('records log-in, a study opened, each series viewed once, and the study closed with its duration at log-out', () => {
    const s = setup()
    login(s)
    const assignment = { id: 'a-1', studyInstanceUid: '1.2' }
    s.study.setState({ assignment, series: [series('1.2.1', '1.2', ['s1', 's2']), series('1.2.2', '1.2', ['s3'])], priors: [{ series: [series('0.9.1', '0.9', ['p1'])] }] })
    for (const sop of ['s1', 's2', 's1', 's3', 'p1']) s.study.setState({ currentImageId: cachedImageId(sop) })
    s.advance(90_000)
    s.report.setState({ status: 'editing', assignment })
    s.report.setState({ status: 'queued' })
    s.session.setState({ status: 'logged-out', user: null, client: null, problem: { kind: 'token-expired' } })

    const owner = `${SERVER} reader1`
    expect(s.recorded.map((r) => [r.owner, r.kind, r.studyInstanceUid, r.detail])).toEqual([
      [owner, 'login', undefined, undefined],
      [owner, 'study-opened', '1.2', undefined],
      [owner, 'images-viewed', '1.2', { seriesInstanceUid: '1.2.1', modality: 'CT', prior: false }],
      [owner, 'images-viewed', '1.2', { seriesInstanceUid: '1.2.2', modality: 'CT', prior: false }],
      [owner, 'images-viewed', '0.9', { seriesInstanceUid: '0.9.1', modality: 'CT', prior: true }],
      [owner, 'report-submitted', '1.2', undefined],
      [owner, 'study-closed', '1.2', { durationMs: 90_000, seriesViewed: 3, imagesViewed: 4 }],
      [owner, 'logout', undefined, { reason: 'token-expired' }],
    ])
  })

  it('records a study closed when another opens, and nothing while nobody is signed in', () => {
    const s = setup()
    s.study.setState({ assignment: { id: 'a-0', studyInstanceUid: '0' } })
    expect(s.recorded).toEqual([])
    s.study.setState({ assignment: null })
    login(s)
    s.study.setState({ assignment: { id: 'a-1', studyInstanceUid: '1' } })
    s.advance(5_000)
    s.study.setState({ assignment: { id: 'a-2', studyInstanceUid: '2' } })
    expect(s.recorded.map((r) => [r.kind, r.assignmentId, r.detail?.durationMs])).toEqual([
      ['login', undefined, undefined],
      ['study-opened', 'a-1', undefined],
      ['study-closed', 'a-1', 5_000],
      ['study-opened', 'a-2', undefined],
    ])
  })

  it('coalesces settings changes into one event, and ignores loading a reader\'s settings', () => {
    const s = setup()
    login(s)
    s.settings.setState({ storageKey: 'viewer-settings:x', cineFps: 30 })
    s.settings.setState({ cineFps: 20 })
    s.settings.setState({ cineFps: 25, overlayVisible: false })
    expect(s.recorded.filter((r) => r.kind === 'settings-changed')).toEqual([])
    s.timers.at(-1)!()
    expect(s.recorded.filter((r) => r.kind === 'settings-changed').map((r) => r.detail)).toEqual([{ changed: 'cineFps,overlayVisible', cineFps: 25, overlayVisible: false }])
    expect(SETTINGS_COALESCE_MS).toBeGreaterThan(0)
  })
})
