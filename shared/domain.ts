/** Domain vocabulary shared by the reading server, the workstation and the desktop shell. */

export const ROLES = ['reader', 'checker', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** Priorities in the order a reader must work them. */
export const PRIORITIES = ['stat', 'urgent', 'routine'] as const
export type Priority = (typeof PRIORITIES)[number]

/** First read, second (double) read, or a senior's report check. */
export const READING_TYPES = ['first', 'second', 'check'] as const
export type ReadingType = (typeof READING_TYPES)[number]

export const ASSIGNMENT_STATUSES = ['assigned', 'in-progress', 'submitted'] as const
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number]

/** How a facility wants patients shown to its remote readers. */
export const PATIENT_DISPLAY_POLICIES = ['named', 'anonymised'] as const
export type PatientDisplayPolicy = (typeof PATIENT_DISPLAY_POLICIES)[number]
