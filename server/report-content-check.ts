/**
 * Whether report content may be stored for a study, as a submission, a correction or a checker's
 * amendment: the master version it names exists for the facility, the master's rules pass, its
 * image references are the study's (or its priors'), and an overall judgement follows.
 */
import type { FindingMaster, JudgementValue, ReportContent, ReportIssue } from '../shared/finding-master.ts'
import { overallJudgement, validateReport } from '../shared/report-rules.ts'
import type { Queryable } from './database.ts'
import { masterVersion } from './finding-master-repository.ts'
import type { ReportScope } from './report-access.ts'
import { imageReferenceIssues, imagesOfReport, type ImageIssueRule } from './report-images.ts'

/**
 * A rejected report's problems: the master's rules (ReportIssues), a master version that does
 * not exist, and image references outside the study and its priors (or inconsistent ones).
 */
export type SubmissionIssue = Omit<ReportIssue, 'rule'> & { rule: ReportIssue['rule'] | 'unknown-master-version' | ImageIssueRule }

export type ContentCheck =
  | { ok: true; master: FindingMaster; overall: JudgementValue }
  | { ok: false; issues: SubmissionIssue[] }

/**
 * Whether report content may be stored for this study: its master version exists for the
 * facility, the master's rules pass, its image references are the study's (or its priors'), and
 * an overall judgement follows. Used for submissions, corrections and a checker's amendments.
 */
export async function checkReportContent(db: Queryable, scope: Pick<ReportScope, 'facilityId' | 'studyInstanceUid'>, content: ReportContent): Promise<ContentCheck> {
  // Any existing version of the facility's master may be used, not only the newest: a reader
  // who started on version N while an admin imported N+1 still submits against N.
  const master = await masterVersion(db, scope.facilityId, content.masterVersion)
  if (!master) {
    return {
      ok: false,
      issues: [
        {
          rule: 'unknown-master-version',
          message: {
            ja: `所見マスターのバージョン ${content.masterVersion} はこの施設にありません`,
            en: `finding master version ${content.masterVersion} does not exist for this facility`,
          },
        },
      ],
    }
  }
  const images = await imagesOfReport(db, scope.studyInstanceUid, content)
  const issues: SubmissionIssue[] = [...validateReport(master, content), ...imageReferenceIssues(content, images)]
  const overall = overallJudgement(master, content)
  if (issues.length > 0 || !overall) {
    return {
      ok: false,
      issues: issues.length > 0 ? issues : [{ rule: 'override-invalid', message: { ja: '総合判定を決められません', en: 'the overall judgement cannot be determined' } }],
    }
  }
  return { ok: true, master, overall }
}
