/**
 * Importing DICOM files into a facility: each file is checked (the same bounds-checking check
 * the viewer applies, shared/dicom-safety.ts), copied unchanged into
 * `<storageDir>/instances/<studyUid>/<sopUid>.dcm` and indexed. One bad file is reported with
 * its reason code and message and skipped; it never stops the rest of the batch. Non-image
 * objects (SR, KOS, presentation states…) are valid DICOM and are imported as such.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join, posix, resolve } from 'node:path'
import type { DicomSafetyCode } from '../shared/dicom-safety-error.ts'
import { checkPart10 } from '../shared/dicom-safety.ts'
import type { Queryable, ReadingDatabase } from './database.ts'
import { indexRecordOf, type DicomIndexRecord } from './dicom-index-record.ts'
import { DicomParseError, parseDicom } from './dicom-part10.ts'

export interface ImportReportEntry {
  file: string
  ok: boolean
  /** What an imported file holds: an image the viewer shows, or a non-image object it skips. */
  objectKind?: 'image' | 'non-image'
  sopInstanceUid?: string
  studyInstanceUid?: string
  /** Why a file was refused, for programs (a DicomSafetyCode, or what else went wrong). */
  code?: DicomSafetyCode | 'unreadable' | 'invalid-dicom' | 'conflict'
  /** Why a file was refused, for the person importing it. */
  error?: string
}

/** Files under the given paths, folders walked recursively, in a stable order. */
export async function collectFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined)
    if (info?.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true })
      const children = entries
        .filter((e) => !e.name.startsWith('.'))
        .map((e) => join(path, e.name))
        .sort()
      out.push(...(await collectFiles(children)))
    } else {
      // missing paths are kept so the report can say so
      out.push(path)
    }
  }
  return out
}

/** Where an instance is stored, relative to the storage directory (always with forward slashes). */
export function instanceRelativePath(studyInstanceUid: string, sopInstanceUid: string): string {
  return posix.join('instances', studyInstanceUid, `${sopInstanceUid}.dcm`)
}

/**
 * Imports files (or folders of files) into a facility and reports on each.
 * Throws only when the facility does not exist: that is a mistake in the request, not in a file.
 */
export async function importDicomFiles(
  db: ReadingDatabase,
  storageDir: string,
  facilityId: string,
  paths: readonly string[],
): Promise<ImportReportEntry[]> {
  const facility = await db.query('select 1 from facilities where id = $1', [facilityId])
  if (facility.rows.length === 0) throw new Error(`unknown facility "${facilityId}"`)
  const report: ImportReportEntry[] = []
  for (const file of await collectFiles(paths)) {
    report.push(await importOne(db, storageDir, facilityId, file))
  }
  return report
}

async function importOne(db: ReadingDatabase, storageDir: string, facilityId: string, file: string): Promise<ImportReportEntry> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return { file, ok: false, code: 'unreadable', error: code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(error)})` }
  }
  // checked before dicom-parser sees it: a length that lies, a deflate bomb or a sequence nested
  // a million deep is refused here, never allocated
  const checked = await checkPart10(bytes)
  if (checked.kind === 'rejected') return { file, ok: false, code: checked.code, error: checked.reason }
  let record: DicomIndexRecord
  try {
    record = indexRecordOf(parseDicom(bytes))
    if (record.instance.transferSyntaxUid === '') throw new DicomParseError('missing TransferSyntaxUID (0002,0010) in the file meta information')
  } catch (error) {
    if (error instanceof DicomParseError) return { file, ok: false, code: 'invalid-dicom', error: error.message }
    throw error
  }
  const { study, instance } = record
  const relativePath = instanceRelativePath(study.studyInstanceUid, instance.sopInstanceUid)
  try {
    await db.transaction(async (tx) => {
      await checkHierarchy(tx, facilityId, record)
      await writeAtomically(join(storageDir, relativePath), bytes)
      await upsertRecord(tx, facilityId, record, {
        filePath: relativePath,
        fileSize: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      })
    })
  } catch (error) {
    if (error instanceof ImportConflict) return { file, ok: false, code: 'conflict', error: error.message }
    throw error
  }
  return { file, ok: true, objectKind: checked.kind, sopInstanceUid: instance.sopInstanceUid, studyInstanceUid: study.studyInstanceUid }
}

/** A file that is valid DICOM but contradicts what is already indexed. */
class ImportConflict extends Error {}

async function checkHierarchy(tx: Queryable, facilityId: string, { study, series, instance }: DicomIndexRecord): Promise<void> {
  const existingStudy = await tx.query<{ facility_id: string }>('select facility_id from studies where study_instance_uid = $1', [
    study.studyInstanceUid,
  ])
  const owner = existingStudy.rows[0]?.facility_id
  if (owner !== undefined && owner !== facilityId) {
    throw new ImportConflict(`study ${study.studyInstanceUid} is already registered to facility "${owner}"`)
  }
  const existingSeries = await tx.query<{ study_instance_uid: string }>(
    'select study_instance_uid from series where series_instance_uid = $1',
    [series.seriesInstanceUid],
  )
  const seriesStudy = existingSeries.rows[0]?.study_instance_uid
  if (seriesStudy !== undefined && seriesStudy !== study.studyInstanceUid) {
    throw new ImportConflict(`series ${series.seriesInstanceUid} already belongs to study ${seriesStudy}`)
  }
  const existingInstance = await tx.query<{ series_instance_uid: string }>(
    'select series_instance_uid from instances where sop_instance_uid = $1',
    [instance.sopInstanceUid],
  )
  const instanceSeries = existingInstance.rows[0]?.series_instance_uid
  if (instanceSeries !== undefined && instanceSeries !== series.seriesInstanceUid) {
    throw new ImportConflict(`instance ${instance.sopInstanceUid} already belongs to series ${instanceSeries}`)
  }
}

/** Writes through a temporary name so a crash never leaves a half-written instance under its real name. */
async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  await mkdir(resolve(target, '..'), { recursive: true })
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temporary, bytes)
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

async function upsertRecord(
  tx: Queryable,
  facilityId: string,
  { study, series, instance }: DicomIndexRecord,
  stored: { filePath: string; fileSize: number; sha256: string },
): Promise<void> {
  await tx.query(
    `insert into studies (study_instance_uid, facility_id, patient_id, patient_name, patient_sex, patient_age,
       patient_birth_date, study_date, study_time, study_description, accession_number, body_part, specific_character_set)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     on conflict (study_instance_uid) do update set
       patient_id = excluded.patient_id, patient_name = excluded.patient_name, patient_sex = excluded.patient_sex,
       patient_age = excluded.patient_age, patient_birth_date = excluded.patient_birth_date,
       study_date = excluded.study_date, study_time = excluded.study_time,
       study_description = excluded.study_description, accession_number = excluded.accession_number,
       body_part = case when excluded.body_part <> '' then excluded.body_part else studies.body_part end,
       specific_character_set = excluded.specific_character_set`,
    [
      study.studyInstanceUid,
      facilityId,
      study.patientId,
      study.patientName,
      study.patientSex,
      study.patientAge,
      study.patientBirthDate,
      study.studyDate,
      study.studyTime,
      study.studyDescription,
      study.accessionNumber,
      study.bodyPart,
      study.specificCharacterSet,
    ],
  )
  await tx.query(
    `insert into series (series_instance_uid, study_instance_uid, modality, series_number, series_description, body_part)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (series_instance_uid) do update set
       modality = excluded.modality, series_number = excluded.series_number,
       series_description = excluded.series_description, body_part = excluded.body_part`,
    [series.seriesInstanceUid, study.studyInstanceUid, series.modality, series.seriesNumber, series.seriesDescription, series.bodyPart],
  )
  await tx.query(
    `insert into instances (sop_instance_uid, series_instance_uid, sop_class_uid, instance_number, transfer_syntax_uid,
       rows, columns, number_of_frames, file_path, file_size, sha256)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (sop_instance_uid) do update set
       sop_class_uid = excluded.sop_class_uid, instance_number = excluded.instance_number,
       transfer_syntax_uid = excluded.transfer_syntax_uid, rows = excluded.rows, columns = excluded.columns,
       number_of_frames = excluded.number_of_frames, file_path = excluded.file_path,
       file_size = excluded.file_size, sha256 = excluded.sha256, imported_at = now()`,
    [
      instance.sopInstanceUid,
      series.seriesInstanceUid,
      instance.sopClassUid,
      instance.instanceNumber,
      instance.transferSyntaxUid,
      instance.rows,
      instance.columns,
      instance.numberOfFrames,
      stored.filePath,
      stored.fileSize,
      stored.sha256,
    ],
  )
  // Modalities in Study is derived from the series, so it is recomputed rather than trusted from one file.
  await tx.query(
    `update studies set modalities = coalesce(
       (select array_agg(distinct modality order by modality) from series
        where study_instance_uid = $1 and modality <> ''), '{}')
     where study_instance_uid = $1`,
    [study.studyInstanceUid],
  )
}
