import { describe, expect, it } from 'vitest'
import type { Assignment } from '../../../shared/api-contract.ts'
import { orderStudyJobs } from './study-jobs.ts'

function assignment(id: string, study: string, priority: Assignment['priority'], dueAt: string, priors: string[] = [], status: Assignment['status'] = 'assigned'): Assignment {
  return {
    id, studyInstanceUid: study, facilityId: 'f', facilityName: 'F', patientDisplay: 'P', patientDisplayPolicy: 'named', patientSex: '', patientAge: '',
    modalities: ['CT'], bodyPart: '', studyDescription: '', studyDate: '', seriesCount: 1, instanceCount: 1, priority, readingType: 'first', status,
    dueAt, assignedAt: '2026-11-21T00:00:00Z',
    priors: priors.map((p) => ({ studyInstanceUid: p, studyDate: '', modalities: ['CT'], studyDescription: '', instanceCount: 1 })),
  }
}

describe('prefetch order', () => {
  it('takes STAT, then urgent, then routine; within a priority the earliest due first; priors right after their study', () => {
    const jobs = orderStudyJobs([
      assignment('a1', 'routine-late', 'routine', '2026-11-22T12:00:00Z'),
      assignment('a2', 'urgent', 'urgent', '2026-11-23T00:00:00Z', ['urgent-prior']),
      assignment('a3', 'routine-early', 'routine', '2026-11-22T08:00:00Z'),
      assignment('a4', 'stat', 'stat', '2026-11-24T00:00:00Z', ['stat-prior-1', 'stat-prior-2']),
    ])
    expect(jobs.map((j) => j.studyInstanceUid)).toEqual(['stat', 'stat-prior-1', 'stat-prior-2', 'urgent', 'urgent-prior', 'routine-early', 'routine-late'])
    expect(jobs[1]).toMatchObject({ role: 'prior', assignmentId: 'a4', priority: 'stat' })
  })

  it('fetches a study needed twice once, at its most urgent place', () => {
    const jobs = orderStudyJobs([
      assignment('a1', 'shared', 'routine', '2026-11-22T00:00:00Z'),
      assignment('a2', 'other', 'stat', '2026-11-22T00:00:00Z', ['shared']),
    ])
    expect(jobs.map((j) => [j.studyInstanceUid, j.role])).toEqual([
      ['other', 'current'],
      ['shared', 'prior'],
    ])
  })

  it('skips submitted assignments and puts an opened study first', () => {
    const jobs = orderStudyJobs(
      [
        assignment('a1', 'stat', 'stat', '2026-11-22T00:00:00Z'),
        assignment('a2', 'done', 'stat', '2026-11-22T00:00:00Z', [], 'submitted'),
        assignment('a3', 'opened', 'routine', '2026-11-25T00:00:00Z', ['opened-prior']),
      ],
      'opened',
    )
    expect(jobs.map((j) => j.studyInstanceUid)).toEqual(['opened', 'stat', 'opened-prior'])
  })
})
