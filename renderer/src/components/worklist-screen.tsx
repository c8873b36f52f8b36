/**
 * The reader's worklist: one row per assignment, most urgent first; Enter or double click opens.
 * Filters (reading type, status, case, waiting on another reader) are ordinary form controls, so
 * the keyboard reaches them like everything else; each row's case badge says where its reading
 * case stands.
 */
import { useEffect, useLayoutEffect, useMemo, useState } from 'react'
import type { Assignment } from '../../../shared/api-contract.ts'
import { ASSIGNMENT_STATUSES, READING_TYPES } from '../../../shared/domain.ts'
import { readInstanceFromCache, refreshWorklist, useStudyStore, useWorklistStore } from '../app-stores.ts'
import { formatDicomDate } from '../i18n/format.ts'
import { markStudyOpen, markWorklistArrived, markWorklistPainted } from '../perf-marks.ts'
import { warmUpViewer } from '../viewer/cornerstone-setup.ts'
import { useLanguageStore, useT } from '../i18n/language-store.ts'
import { CacheProgressCell } from './cache-progress-cell.tsx'
import { dueTimeView } from './due-time.ts'
import { SyncStatusBar } from './sync-status-bar.tsx'
import { CASE_BADGES, caseBadge, filterAssignments, type CaseBadge, type WorklistFilters } from '../stores/worklist-store.ts'

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}

export function WorklistScreen() {
  const t = useT()
  const assignments = useWorklistStore((s) => s.assignments)
  const loading = useWorklistStore((s) => s.loading)
  const open = useStudyStore((s) => s.open)
  const now = useNow(30_000)
  const language = useLanguageStore((s) => s.language)
  const filters = useWorklistStore((s) => s.filters)
  const setFilters = useWorklistStore((s) => s.setFilters)
  const clearFilters = useWorklistStore((s) => s.clearFilters)
  const shown = useMemo(() => filterAssignments(assignments, filters), [assignments, filters])
  const filtered = shown !== assignments

  useEffect(() => warmUpViewer(readInstanceFromCache), [])
  // benchmark marks: the list's arrival in the store, and its rows painted
  useEffect(
    () =>
      useWorklistStore.subscribe((s, previous) => {
        if (s.assignments !== previous.assignments) markWorklistArrived(s.assignments.length)
      }),
    [],
  )
  useLayoutEffect(() => markWorklistPainted(shown.length), [shown])

  const openRow = (assignment: Assignment) => {
    markStudyOpen()
    void open(assignment)
  }

  return (
    <section className="worklist" aria-labelledby="worklist-heading">
      <header className="worklist__header">
        <h2 id="worklist-heading">{t('worklist.heading')}</h2>
        <span className="worklist__count" data-testid="worklist-count">
          {filtered ? t('worklist.filteredCount', { shown: shown.length, count: assignments.length }) : t('worklist.count', { count: assignments.length })}
        </span>
        <button type="button" onClick={refreshWorklist}>
          {t('worklist.refresh')}
        </button>
      </header>
      <SyncStatusBar />
      <WorklistFilterBar filters={filters} onChange={setFilters} onClear={clearFilters} active={filtered} />
      {loading && assignments.length === 0 && <p>{t('worklist.loading')}</p>}
      {!loading && assignments.length === 0 && <p>{t('worklist.empty')}</p>}
      {assignments.length > 0 && shown.length === 0 && <p data-testid="worklist-filtered-empty">{t('worklist.filteredEmpty')}</p>}
      {shown.length > 0 && (
        <table className="worklist__table">
          <thead>
            <tr>
              <th>{t('worklist.col.priority')}</th>
              <th>{t('worklist.col.due')}</th>
              <th>{t('worklist.col.facility')}</th>
              <th>{t('worklist.col.patient')}</th>
              <th>{t('worklist.col.modality')}</th>
              <th>{t('worklist.col.bodyPart')}</th>
              <th>{t('worklist.col.studyDate')}</th>
              <th>{t('worklist.col.readingType')}</th>
              <th>{t('worklist.col.case')}</th>
              <th>{t('worklist.col.images')}</th>
              <th>{t('worklist.col.cache')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => {
              const due = dueTimeView(a.dueAt, now, language)
              const badge = caseBadge(a)
              return (
                <tr
                  key={a.id}
                  className={`worklist__row worklist__row--${a.priority}`}
                  tabIndex={0}
                  data-testid="worklist-row"
                  data-study-uid={a.studyInstanceUid}
                  data-reading-type={a.readingType}
                  onDoubleClick={() => openRow(a)}
                  onKeyDown={(e) => e.key === 'Enter' && openRow(a)}
                >
                  <td>
                    <span className={`priority priority--${a.priority}`}>{t(`priority.${a.priority}`)}</span>
                  </td>
                  <td className={`due due--${due.tone}`} title={new Date(a.dueAt).toLocaleString()}>
                    {t(due.text.key, { time: due.text.time })}
                  </td>
                  <td>{a.facilityName}</td>
                  <td>{a.patientDisplay}</td>
                  <td>{a.modalities.join(', ')}</td>
                  <td>{a.bodyPart}</td>
                  <td>{formatDicomDate(a.studyDate)}</td>
                  <td>{t(`readingType.${a.readingType}`)}</td>
                  <td>{badge && <CaseBadgeTag badge={badge} />}</td>
                  <td>{a.instanceCount}</td>
                  <CacheProgressCell studyInstanceUid={a.studyInstanceUid} />
                  <td>
                    <button type="button" onClick={() => openRow(a)}>
                      {t('worklist.open')}
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** Badge colours: what needs someone now stands out, what is done is quiet. */
const BADGE_TONES: Record<CaseBadge, string> = {
  waiting: '#8a939d',
  comparison: '#ffb347',
  committee: '#ff5d5d',
  final: '#59c98b',
  check: '#ffb347',
  returned: '#ff5d5d',
  approved: '#59c98b',
  amended: '#4ea1ff',
}

function CaseBadgeTag({ badge }: { badge: CaseBadge }) {
  const t = useT()
  const tone = BADGE_TONES[badge]
  return (
    <span className={`case-badge case-badge--${badge}`} data-testid="case-badge" data-badge={badge} style={{ padding: '1px 6px', borderRadius: 3, fontSize: 12, whiteSpace: 'nowrap', border: `1px solid ${tone}`, color: tone }}>
      {t(`caseBadge.${badge}`)}
    </span>
  )
}

interface FilterBarProps {
  filters: WorklistFilters
  onChange(changes: Partial<WorklistFilters>): void
  onClear(): void
  active: boolean
}

function WorklistFilterBar({ filters, onChange, onClear, active }: FilterBarProps) {
  const t = useT()
  const labelStyle = { display: 'inline-flex', alignItems: 'center', gap: 4 } as const
  return (
    <div className="worklist__filters" role="group" aria-label={t('worklist.filter.label')} data-testid="worklist-filter" style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 12, margin: '6px 0', fontSize: 13 }}>
      <label style={labelStyle}>
        {t('worklist.filter.readingType')}
        <select value={filters.readingType} onChange={(e) => onChange({ readingType: e.target.value as WorklistFilters['readingType'] })} data-testid="filter-reading-type">
          <option value="all">{t('worklist.filter.all')}</option>
          {READING_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`readingType.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label style={labelStyle}>
        {t('worklist.filter.status')}
        <select value={filters.status} onChange={(e) => onChange({ status: e.target.value as WorklistFilters['status'] })} data-testid="filter-status">
          <option value="all">{t('worklist.filter.all')}</option>
          {ASSIGNMENT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`assignmentStatus.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <label style={labelStyle}>
        {t('worklist.filter.case')}
        <select value={filters.caseBadge} onChange={(e) => onChange({ caseBadge: e.target.value as WorklistFilters['caseBadge'] })} data-testid="filter-case">
          <option value="all">{t('worklist.filter.all')}</option>
          {CASE_BADGES.map((badge) => (
            <option key={badge} value={badge}>
              {t(`caseBadge.${badge}`)}
            </option>
          ))}
        </select>
      </label>
      <label style={labelStyle}>
        <input type="checkbox" checked={filters.waitingOnOthers} onChange={(e) => onChange({ waitingOnOthers: e.target.checked })} data-testid="filter-waiting" />
        {t('worklist.filter.waiting')}
      </label>
      {active && (
        <button type="button" onClick={onClear} data-testid="filter-clear">
          {t('worklist.filter.clear')}
        </button>
      )}
    </div>
  )
}
