/**
 * A clinically sized synthetic CT (scripts/study-generator) imported into a running demo
 * server and assigned to a reader: large enough that a prefetch takes a while (to be killed
 * in the middle) or does not fit (to fill a small disk).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { generateCtSeries } from '../../scripts/study-generator/ct-series-generator.ts'
import { importDicomFiles } from '../../server/dicom-import.ts'
import type { RunningReadingServer } from '../../server/start-reading-server.ts'
import type { Priority } from '../../shared/domain.ts'
import { createAssignment, loginAs } from '../harness/reading-server-api.ts'

export interface AssignedCt {
  studyInstanceUid: string
  assignmentId: string
  instanceCount: number
  /** Bytes of all its files. */
  bytes: number
  /** SHA-256 of each instance as the server stores (and serves) it, by SOP Instance UID. */
  sha256: Map<string, string>
}

/** Generates a CT of `slices` slices, imports it for the Sakura clinic and assigns it to `username`. */
export async function assignGeneratedCt(server: RunningReadingServer, options: { slices: number; seed: string; username: string; priority: Priority }): Promise<AssignedCt> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rw-generated-ct-'))
  try {
    const series = await generateCtSeries({ outDir: dir, sliceCount: options.slices, seed: options.seed, patientName: `CRASH^${options.seed.toUpperCase()}`, patientId: `CRASH-${options.seed}` })
    const report = await importDicomFiles(server.db, server.storageDir, 'sakura-clinic', [dir])
    const rejected = report.filter((r) => !r.ok)
    if (rejected.length) throw new Error(`the generated CT was not imported: ${rejected[0]?.error}`)
    const admin = await loginAs(server.url, 'admin')
    const assignment = await createAssignment(server.url, admin, {
      studyInstanceUid: series.studyInstanceUid,
      username: options.username,
      readingType: 'first',
      priority: options.priority,
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
    })
    const { rows } = await server.db.query<{ sop_instance_uid: string; sha256: string }>(
      'select i.sop_instance_uid, i.sha256 from instances i join series se on se.series_instance_uid = i.series_instance_uid where se.study_instance_uid = $1',
      [series.studyInstanceUid],
    )
    if (rows.length !== options.slices) throw new Error(`the server holds ${rows.length} of the ${options.slices} generated instances`)
    return {
      studyInstanceUid: series.studyInstanceUid,
      assignmentId: assignment.id,
      instanceCount: rows.length,
      bytes: series.bytes,
      sha256: new Map(rows.map((r) => [r.sop_instance_uid, r.sha256])),
    }
  } finally {
    // the server keeps its own copies
    await rm(dir, { recursive: true, force: true })
  }
}
