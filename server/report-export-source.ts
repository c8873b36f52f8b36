/** Everything the exports (DICOM SR, FHIR) need about a stored report, read in one place. */
import type { FindingMaster } from '../shared/finding-master.ts'
import type { StoredReport } from '../shared/report-contract.ts'
import type { Queryable } from './database.ts'
import { masterVersion } from './finding-master-repository.ts'
import { formatPersonName, visiblePatientName } from './patient-display.ts'
import type { ReportScope } from './report-access.ts'
import { imagesOfReport, type ReportImage } from './report-images.ts'

export interface ReportExportSource {
  report: StoredReport
  master: FindingMaster
  facilityId: string
  facilityName: string
  study: {
    studyInstanceUid: string
    /** DICOM PN as the facility lets readers see it (the anonymised label when it anonymises). */
    patientName: string
    patientId: string
    patientBirthDate: string
    patientSex: string
    studyDate: string
    studyTime: string
    studyDescription: string
    accessionNumber: string
  }
  reader: { id: string; displayName: string }
  /** The images the report refers to (its study's and its priors'), by SOP Instance UID. */
  images: ReadonlyMap<string, ReportImage>
}

export async function loadReportExportSource(db: Queryable, report: StoredReport, scope: ReportScope): Promise<ReportExportSource> {
  const master = await masterVersion(db, scope.facilityId, report.masterVersion)
  const { rows } = await db.query<{
    patient_name: string
    patient_id: string
    patient_birth_date: string
    patient_sex: string
    study_date: string
    study_time: string
    study_description: string
    accession_number: string
    facility_name: string
    reader_name: string
  }>(
    `select s.patient_name, s.patient_id, s.patient_birth_date, s.patient_sex, s.study_date, s.study_time, s.study_description,
            s.accession_number, f.name as facility_name, u.display_name as reader_name
       from studies s join facilities f on f.id = s.facility_id, users u
      where s.study_instance_uid = $1 and u.id = $2`,
    [report.studyInstanceUid, report.readerId],
  )
  const row = rows[0]
  const images = await imagesOfReport(db, report.studyInstanceUid, report.content)
  // Foreign keys keep all three in place while the report exists.
  if (!master || !row) throw new Error(`report ${report.id} refers to a missing master version, study or reader`)
  const anonymised = scope.patientDisplayPolicy === 'anonymised'
  return {
    report,
    master,
    facilityId: scope.facilityId,
    facilityName: row.facility_name,
    study: {
      studyInstanceUid: report.studyInstanceUid,
      patientName: visiblePatientName(scope.patientDisplayPolicy, scope.anonymisedPrefix, row.patient_name, report.studyInstanceUid),
      patientId: row.patient_id,
      // An anonymising facility shows readers neither the name nor the birth date.
      patientBirthDate: anonymised ? '' : row.patient_birth_date,
      patientSex: row.patient_sex,
      studyDate: row.study_date,
      studyTime: row.study_time,
      studyDescription: row.study_description,
      accessionNumber: row.accession_number,
    },
    reader: { id: report.readerId, displayName: row.reader_name },
    images,
  }
}

/** The patient as a person reads it: "Doe J" from "Doe^J", or the anonymised label. */
export function patientDisplayName(source: ReportExportSource): string {
  return formatPersonName(source.study.patientName)
}
