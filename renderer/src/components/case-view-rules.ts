/**
 * What the workstation shows of a double-reading case and which decision it offers, from the
 * case as the server let this user see it. The server decides what may be seen (a blinded read
 * comes without its report) and who may decide (server/reading-case-service.ts, mayCompare);
 * these rules only keep the UI from offering what the server would refuse.
 */
import type { User } from '../../../shared/api-contract.ts'
import type { CaseStatus } from '../../../shared/domain.ts'
import type { CaseRead, ReadingCase, ReportVersion } from '../../../shared/reading-case-contract.ts'

/** A read the viewer may see: its latest version is there. */
export type VisibleRead = CaseRead & { latest: ReportVersion }

const BOTH_READS_IN: readonly CaseStatus[] = ['comparison', 'committee', 'final']

const visible = (read: CaseRead | undefined): VisibleRead | undefined => (read && !read.blinded && read.latest ? (read as VisibleRead) : undefined)

/** Both reads, when the case is past them and this user may see both; otherwise null. */
export function comparedReads(readingCase: ReadingCase): { first: VisibleRead; second: VisibleRead } | null {
  if (readingCase.workflow !== 'double' || !BOTH_READS_IN.includes(readingCase.status)) return null
  const first = visible(readingCase.reads.find((r) => r.readingType === 'first'))
  const second = visible(readingCase.reads.find((r) => r.readingType === 'second'))
  return first && second ? { first, second } : null
}

/**
 * The decision this user may make now: the comparison (its assigned reader, or the second
 * reader when the case has none; administrators always), or the committee's (checkers and
 * administrators); null for anyone else or at any other stage.
 */
export function decisionStage(readingCase: ReadingCase, user: Pick<User, 'id' | 'role'> | null): 'comparison' | 'committee' | null {
  if (!user || readingCase.workflow !== 'double') return null
  if (readingCase.status === 'comparison') {
    if (user.role === 'admin') return 'comparison'
    const comparer = readingCase.reads.find((r) => r.readingType === 'comparison') ?? readingCase.reads.find((r) => r.readingType === 'second')
    return comparer?.readerId === user.id ? 'comparison' : null
  }
  if (readingCase.status === 'committee') return user.role === 'checker' || user.role === 'admin' ? 'committee' : null
  return null
}
