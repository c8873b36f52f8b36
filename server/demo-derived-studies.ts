/**
 * The demo studies made at seed time from the real files in demo-data/dicom, for what those
 * files alone cannot show: a CT beside its prior, a chest X-ray against its prior, a four-view
 * mammogram with its prior. Deterministic (the same UIDs and bytes on every seed) and made in
 * memory, so no derived file is kept in the repository.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deriveCrChestPair } from './demo-cr-chest-pair.ts'
import { deriveCtPrior } from './demo-ct-prior.ts'
import type { DerivedInstance } from './demo-derivation.ts'
import { deriveMammography } from './demo-mammography.ts'
import type { ReadingDatabase } from './database.ts'
import { importDicomFiles } from './dicom-import.ts'

export interface DerivedStudyDefinition {
  facility: string
  /** Its instances, made from the files under the demo DICOM folder. */
  derive(dicomDir: string): Promise<DerivedInstance[]>
}

export const DEMO_DERIVED_STUDIES = {
  /** The phantom head CT ('ct-head') a year earlier: its prior. */
  'ct-head-last-year': { facility: 'sakura-clinic', derive: (dir) => deriveCtPrior(dir) },
  'cr-chest-checkup': { facility: 'minato-checkup', derive: (dir) => deriveCrChestPair(dir, 'current') },
  'cr-chest-checkup-prior': { facility: 'minato-checkup', derive: (dir) => deriveCrChestPair(dir, 'prior') },
  'mammo-screening': { facility: 'minato-checkup', derive: (dir) => deriveMammography(dir, 'current') },
  'mammo-screening-prior': { facility: 'minato-checkup', derive: (dir) => deriveMammography(dir, 'prior') },
} as const satisfies Record<string, DerivedStudyDefinition>
export type DerivedStudyKey = keyof typeof DEMO_DERIVED_STUDIES

/**
 * Imports a derived study through the same path as any file (dicom-import.ts), from a temporary
 * folder removed afterwards. Returns its Study Instance UID.
 */
export async function importDerivedStudy(db: ReadingDatabase, storageDir: string, key: DerivedStudyKey, dicomDir: string): Promise<string> {
  const definition: DerivedStudyDefinition = DEMO_DERIVED_STUDIES[key]
  const instances = await definition.derive(dicomDir)
  const folder = await mkdtemp(join(tmpdir(), `demo-${key}-`))
  try {
    const files = await Promise.all(
      instances.map(async ({ name, bytes }) => {
        const file = join(folder, name)
        await writeFile(file, bytes)
        return file
      }),
    )
    const report = await importDicomFiles(db, storageDir, definition.facility, files)
    const failed = report.find((r) => !r.ok)
    const studyUid = report[0]?.studyInstanceUid
    if (failed || !studyUid) throw new Error(`derived demo study ${key} could not be imported: ${failed ? `${failed.file}: ${failed.error}` : 'no instances'}`)
    return studyUid
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
