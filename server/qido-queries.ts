/**
 * QIDO-RS searches over the index, answered as DICOM JSON at study, series and instance level.
 * Studies are limited to what the caller may see; series and instance searches run inside a
 * study the route has already authorised.
 */
import type { User } from '../shared/api-contract.ts'
import { tags, type DicomJsonDataset } from '../shared/dicom-json.ts'
import type { PatientDisplayPolicy } from '../shared/domain.ts'
import type { Queryable } from './database.ts'
import { jsonAttribute } from './dicom-json-builder.ts'
import { visiblePatientName } from './patient-display.ts'
import { dateRange, matchValue, pagingOf, stringMatch, uidList, type QueryValues } from './qido-parameters.ts'
import { visibleStudiesCondition } from './study-access.ts'

const RETRIEVE_TRANSFER_SYNTAX = '00083002' // AvailableTransferSyntaxUID

/** Collects positional parameters while a WHERE clause is built. */
class SqlParams {
  readonly values: unknown[] = []
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

function sortedDataset(attributes: DicomJsonDataset): DicomJsonDataset {
  return Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

interface StudyRow {
  study_instance_uid: string
  patient_id: string
  patient_name: string
  patient_sex: string
  patient_age: string
  patient_birth_date: string
  study_date: string
  study_time: string
  study_description: string
  accession_number: string
  modalities: string[]
  patient_display_policy: PatientDisplayPolicy
  anonymised_prefix: string
  series_count: number
  instance_count: number
}

export async function searchStudies(db: Queryable, user: User, query: QueryValues): Promise<DicomJsonDataset[]> {
  const params = new SqlParams()
  const where = [visibleStudiesCondition(user, (value) => params.add(value))]
  const patientId = matchValue(query, 'PatientID', tags.PatientID)
  if (patientId !== undefined) {
    const { op, operand } = stringMatch(patientId)
    where.push(`s.patient_id ${op} ${params.add(operand)}`)
  }
  const studyUids = matchValue(query, 'StudyInstanceUID', tags.StudyInstanceUID)
  if (studyUids !== undefined) where.push(`s.study_instance_uid = any(${params.add(uidList(studyUids))}::text[])`)
  const accession = matchValue(query, 'AccessionNumber', tags.AccessionNumber)
  if (accession !== undefined) {
    const { op, operand } = stringMatch(accession)
    where.push(`s.accession_number ${op} ${params.add(operand)}`)
  }
  const modality = matchValue(query, 'ModalitiesInStudy', tags.ModalitiesInStudy)
  if (modality !== undefined) {
    // a study matches when any of its modalities is among the requested ones
    where.push(`s.modalities && ${params.add(modality.split(/[,\\]/).map((m) => m.trim()))}::text[]`)
  }
  const studyDate = matchValue(query, 'StudyDate', tags.StudyDate)
  if (studyDate !== undefined) {
    const { from, to } = dateRange(studyDate)
    if (from) where.push(`s.study_date >= ${params.add(from)}`)
    if (to) where.push(`s.study_date <= ${params.add(to)}`)
    where.push(`s.study_date <> ''`)
  }
  const { limit, offset } = pagingOf(query)
  const { rows } = await db.query<StudyRow>(
    `select s.study_instance_uid, s.patient_id, s.patient_name, s.patient_sex, s.patient_age, s.patient_birth_date,
            s.study_date, s.study_time, s.study_description, s.accession_number, s.modalities,
            f.patient_display_policy, f.anonymised_prefix,
            (select count(*)::int from series se where se.study_instance_uid = s.study_instance_uid) as series_count,
            (select count(*)::int from instances i join series se on se.series_instance_uid = i.series_instance_uid
              where se.study_instance_uid = s.study_instance_uid) as instance_count
       from studies s join facilities f on f.id = s.facility_id
      where ${where.join(' and ')}
      order by s.study_date desc, s.study_time desc, s.study_instance_uid
      limit ${params.add(limit)} offset ${params.add(offset)}`,
    params.values,
  )
  return rows.map((r) =>
    sortedDataset({
      [tags.StudyDate]: jsonAttribute('DA', [r.study_date]),
      [tags.StudyTime]: jsonAttribute('TM', [r.study_time]),
      [tags.AccessionNumber]: jsonAttribute('SH', [r.accession_number]),
      [tags.ModalitiesInStudy]: jsonAttribute('CS', r.modalities),
      [tags.StudyDescription]: jsonAttribute('LO', [r.study_description]),
      [tags.PatientName]: jsonAttribute('PN', [
        visiblePatientName(r.patient_display_policy, r.anonymised_prefix, r.patient_name, r.study_instance_uid),
      ]),
      [tags.PatientID]: jsonAttribute('LO', [r.patient_id]),
      [tags.PatientBirthDate]: jsonAttribute('DA', [r.patient_birth_date]),
      [tags.PatientSex]: jsonAttribute('CS', [r.patient_sex]),
      [tags.PatientAge]: jsonAttribute('AS', [r.patient_age]),
      [tags.StudyInstanceUID]: jsonAttribute('UI', [r.study_instance_uid]),
      [tags.NumberOfStudyRelatedSeries]: jsonAttribute('IS', [r.series_count]),
      [tags.NumberOfStudyRelatedInstances]: jsonAttribute('IS', [r.instance_count]),
    }),
  )
}

interface SeriesRow {
  series_instance_uid: string
  modality: string
  series_number: number | null
  series_description: string
  body_part: string
  instance_count: number
}

export async function searchSeries(db: Queryable, studyUid: string, query: QueryValues): Promise<DicomJsonDataset[]> {
  const params = new SqlParams()
  const where = [`se.study_instance_uid = ${params.add(studyUid)}`]
  const seriesUids = matchValue(query, 'SeriesInstanceUID', tags.SeriesInstanceUID)
  if (seriesUids !== undefined) where.push(`se.series_instance_uid = any(${params.add(uidList(seriesUids))}::text[])`)
  const modality = matchValue(query, 'Modality', tags.Modality)
  if (modality !== undefined) where.push(`se.modality = ${params.add(modality)}`)
  const { limit, offset } = pagingOf(query)
  const { rows } = await db.query<SeriesRow>(
    `select se.series_instance_uid, se.modality, se.series_number, se.series_description, se.body_part,
            (select count(*)::int from instances i where i.series_instance_uid = se.series_instance_uid) as instance_count
       from series se
      where ${where.join(' and ')}
      order by se.series_number nulls last, se.series_instance_uid
      limit ${params.add(limit)} offset ${params.add(offset)}`,
    params.values,
  )
  return rows.map((r) =>
    sortedDataset({
      [tags.Modality]: jsonAttribute('CS', [r.modality]),
      [tags.SeriesDescription]: jsonAttribute('LO', [r.series_description]),
      [tags.BodyPartExamined]: jsonAttribute('CS', [r.body_part]),
      [tags.StudyInstanceUID]: jsonAttribute('UI', [studyUid]),
      [tags.SeriesInstanceUID]: jsonAttribute('UI', [r.series_instance_uid]),
      [tags.SeriesNumber]: jsonAttribute('IS', [r.series_number]),
      [tags.NumberOfSeriesRelatedInstances]: jsonAttribute('IS', [r.instance_count]),
    }),
  )
}

interface InstanceRow {
  sop_instance_uid: string
  sop_class_uid: string
  series_instance_uid: string
  instance_number: number | null
  transfer_syntax_uid: string
  rows: number | null
  columns: number | null
  number_of_frames: number
}

/** Instances of a study, optionally of one series; an unknown series gives an empty list. */
export async function searchInstances(
  db: Queryable,
  studyUid: string,
  seriesUid: string | undefined,
  query: QueryValues,
): Promise<DicomJsonDataset[]> {
  const params = new SqlParams()
  const where = [`se.study_instance_uid = ${params.add(studyUid)}`]
  if (seriesUid !== undefined) where.push(`i.series_instance_uid = ${params.add(seriesUid)}`)
  const sopUids = matchValue(query, 'SOPInstanceUID', tags.SOPInstanceUID)
  if (sopUids !== undefined) where.push(`i.sop_instance_uid = any(${params.add(uidList(sopUids))}::text[])`)
  const { limit, offset } = pagingOf(query)
  const { rows } = await db.query<InstanceRow>(
    `select i.sop_instance_uid, i.sop_class_uid, i.series_instance_uid, i.instance_number, i.transfer_syntax_uid,
            i.rows, i.columns, i.number_of_frames
       from instances i join series se on se.series_instance_uid = i.series_instance_uid
      where ${where.join(' and ')}
      order by se.series_number nulls last, se.series_instance_uid, i.instance_number nulls last, i.sop_instance_uid
      limit ${params.add(limit)} offset ${params.add(offset)}`,
    params.values,
  )
  return rows.map((r) =>
    sortedDataset({
      [tags.SOPClassUID]: jsonAttribute('UI', [r.sop_class_uid]),
      [tags.SOPInstanceUID]: jsonAttribute('UI', [r.sop_instance_uid]),
      [RETRIEVE_TRANSFER_SYNTAX]: jsonAttribute('UI', [r.transfer_syntax_uid]),
      [tags.StudyInstanceUID]: jsonAttribute('UI', [studyUid]),
      [tags.SeriesInstanceUID]: jsonAttribute('UI', [r.series_instance_uid]),
      [tags.InstanceNumber]: jsonAttribute('IS', [r.instance_number]),
      [tags.NumberOfFrames]: jsonAttribute('IS', [r.number_of_frames]),
      [tags.Rows]: jsonAttribute('US', [r.rows]),
      [tags.Columns]: jsonAttribute('US', [r.columns]),
    }),
  )
}
