/**
 * The images a report refers to (key images, the images measurements were made on, the
 * findings' key images), as the server knows them. A report may refer to images of its own
 * study and of the study's priors (a reader may measure on the prior), and to nothing else:
 * a UID the reader could not have seen is a client bug or a probe, and is refused.
 */
import type { ReportContent } from '../shared/finding-master.ts'
import { annotationIssues, referencedSopInstanceUids, type AnnotationIssueRule } from '../shared/report-annotations.ts'
import type { Queryable } from './database.ts'
import { priorStudiesSql } from './prior-studies.ts'

export interface ReportImage {
  sopInstanceUid: string
  sopClassUid: string
  seriesInstanceUid: string
  studyInstanceUid: string
  numberOfFrames: number
}

/** The referenced images found in the study or its priors, by SOP Instance UID; the others are missing. */
export async function reportImages(db: Queryable, studyInstanceUid: string, sopInstanceUids: readonly string[]): Promise<Map<string, ReportImage>> {
  if (sopInstanceUids.length === 0) return new Map()
  const { rows } = await db.query<{
    sop_instance_uid: string
    sop_class_uid: string
    series_instance_uid: string
    study_instance_uid: string
    number_of_frames: number
  }>(
    `with readable as (
       select $2::text as study_instance_uid
       union
       select p.study_instance_uid
         from studies cur
         cross join lateral (${priorStudiesSql('cur', 'pr.study_instance_uid')}) p
        where cur.study_instance_uid = $2
     )
     select i.sop_instance_uid, i.sop_class_uid, i.series_instance_uid, se.study_instance_uid, i.number_of_frames
       from instances i
       join series se on se.series_instance_uid = i.series_instance_uid
      where i.sop_instance_uid = any($1::text[])
        and se.study_instance_uid in (select study_instance_uid from readable)`,
    [[...sopInstanceUids], studyInstanceUid],
  )
  return new Map(
    rows.map((r) => [
      r.sop_instance_uid,
      {
        sopInstanceUid: r.sop_instance_uid,
        sopClassUid: r.sop_class_uid,
        seriesInstanceUid: r.series_instance_uid,
        studyInstanceUid: r.study_instance_uid,
        numberOfFrames: r.number_of_frames,
      },
    ]),
  )
}

export type ImageIssueRule = AnnotationIssueRule | 'image-not-in-study' | 'frame-out-of-range'

export interface ImageIssue {
  rule: ImageIssueRule
  findingIndex?: number
  message: { ja: string; en: string }
}

/**
 * What is wrong with the report's image references: an image that is not in the study or its
 * priors (or not in the series the reference names), a frame the image does not have, and the
 * annotations' own consistency (annotationIssues).
 */
export function imageReferenceIssues(content: ReportContent, images: ReadonlyMap<string, ReportImage>): ImageIssue[] {
  const issues: ImageIssue[] = [...annotationIssues(content)]
  const check = (what: { ja: string; en: string }, ref: { sopInstanceUid: string; seriesInstanceUid?: string; frame?: number | undefined }, findingIndex?: number) => {
    const image = images.get(ref.sopInstanceUid)
    const at = findingIndex === undefined ? {} : { findingIndex }
    if (!image || (ref.seriesInstanceUid !== undefined && ref.seriesInstanceUid !== image.seriesInstanceUid)) {
      issues.push({
        rule: 'image-not-in-study',
        ...at,
        message: {
          ja: `${what.ja}: 画像 ${ref.sopInstanceUid} はこの検査にも比較検査にもありません`,
          en: `${what.en} refers to image ${ref.sopInstanceUid}${ref.seriesInstanceUid ? ` in series ${ref.seriesInstanceUid}` : ''}, which is in neither this study nor its priors`,
        },
      })
    } else if (ref.frame !== undefined && ref.frame > image.numberOfFrames) {
      issues.push({
        rule: 'frame-out-of-range',
        ...at,
        message: {
          ja: `${what.ja}: 画像 ${ref.sopInstanceUid} にフレーム ${ref.frame} はありません（${image.numberOfFrames} フレーム）`,
          en: `${what.en} refers to frame ${ref.frame} of image ${ref.sopInstanceUid}, which has ${image.numberOfFrames} frame(s)`,
        },
      })
    }
  }
  content.keyImages.forEach((k, i) => check({ ja: `キー画像 ${i + 1}`, en: `key image ${i + 1}` }, k))
  content.measurements.forEach((m, i) => check({ ja: `計測 ${i + 1}`, en: `measurement ${i + 1} (${m.id})` }, m))
  content.findings.forEach((f, index) => {
    for (const sop of f.keyImages) check({ ja: `所見 ${index + 1} のキー画像`, en: `a key image of finding ${index + 1}` }, { sopInstanceUid: sop }, index)
  })
  return issues
}

/** The images of a report, looked up in one query. */
export function imagesOfReport(db: Queryable, studyInstanceUid: string, content: ReportContent): Promise<Map<string, ReportImage>> {
  return reportImages(db, studyInstanceUid, referencedSopInstanceUids(content))
}
