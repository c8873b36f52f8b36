import { describe, expect, it } from 'vitest'
import { isValidUid } from './data-element.ts'
import { generateWorklist } from './worklist-generator.ts'

describe('generateWorklist', () => {
  const worklist = generateWorklist({ count: 5000, seed: '1' })

  it('is the same for the same seed and count, and another for another seed', () => {
    expect(generateWorklist({ count: 5000, seed: '1' })).toEqual(worklist)
    expect(generateWorklist({ count: 5000, seed: '2' }).assignments[0]).not.toEqual(worklist.assignments[0])
  })

  it('gives every assignment its own study and patient, with valid DICOM values', () => {
    const { assignments } = worklist
    expect(assignments).toHaveLength(5000)
    expect(new Set(assignments.map((a) => a.studyInstanceUid)).size).toBe(5000)
    expect(new Set(assignments.map((a) => a.patientId)).size).toBe(5000)
    for (const a of assignments) {
      expect(isValidUid(a.studyInstanceUid)).toBe(true)
      expect(a.patientName).toMatch(/^[A-Z]+\^[A-Z]+$/)
      expect(a.studyDate).toMatch(/^2024(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])$/)
      expect(a.patientAge).toMatch(/^0\d\dY$/)
    }
    expect(assignments.filter((a) => a.modalities[0] === 'MG').every((a) => a.patientSex === 'F')).toBe(true)
  })

  it('mixes priorities and modalities like a service: mostly routine, a few STAT, chest radiographs the most common', () => {
    const share = (predicate: (a: (typeof worklist.assignments)[number]) => boolean) => worklist.assignments.filter(predicate).length / 5000
    expect(share((a) => a.priority === 'stat')).toBeGreaterThan(0.01)
    expect(share((a) => a.priority === 'stat')).toBeLessThan(0.06)
    expect(share((a) => a.priority === 'routine')).toBeGreaterThan(0.7)
    expect(share((a) => a.modalities[0] === 'CR')).toBeGreaterThan(0.3)
    expect(new Set(worklist.assignments.map((a) => a.facilitySlot)).size).toBe(10)
  })
})
