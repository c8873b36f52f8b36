/** Domain vocabulary shared by the reading server, the workstation and the desktop shell. */

export const ROLES = ['reader', 'checker', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** Priorities in the order a reader must work them. */
export const PRIORITIES = ['stat', 'urgent', 'routine'] as const
export type Priority = (typeof PRIORITIES)[number]

/**
 * First read; second (double) read, blinded to the first; comparison of two reads that disagree
 * (the consensus step of double reading); a senior's report check.
 */
export const READING_TYPES = ['first', 'second', 'comparison', 'check'] as const
export type ReadingType = (typeof READING_TYPES)[number]

export const ASSIGNMENT_STATUSES = ['assigned', 'in-progress', 'submitted'] as const
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number]

/** How a facility wants patients shown to its remote readers. */
export const PATIENT_DISPLAY_POLICIES = ['named', 'anonymised'] as const
export type PatientDisplayPolicy = (typeof PATIENT_DISPLAY_POLICIES)[number]

/**
 * How a study is read: by one reader; by two independent readers (screening 二重読影), a
 * disagreement going to comparison; or by a first reader whose report a senior checks.
 */
export const WORKFLOWS = ['single', 'double', 'check'] as const
export type Workflow = (typeof WORKFLOWS)[number]

/**
 * Where a reading case stands. Double reading: first-read and second-read wait on that read
 * (the reads themselves are independent and may come in either order), then comparison when
 * they disagree, committee when the comparison sends it on, final. Report check: first-read,
 * check, returned (to the first reader, with a comment), approved or amended (final).
 */
export const CASE_STATUSES = ['first-read', 'second-read', 'comparison', 'committee', 'final', 'check', 'returned', 'approved', 'amended'] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

/** How a case's final judgement was reached. */
export const FINAL_METHODS = ['single', 'agreement', 'consensus', 'committee', 'approved', 'amended'] as const
export type FinalMethod = (typeof FINAL_METHODS)[number]

/** Case statuses after which nothing about the case changes. */
export const FINAL_CASE_STATUSES: readonly CaseStatus[] = ['final', 'approved', 'amended']
