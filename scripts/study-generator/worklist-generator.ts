/**
 * A reader's worklist of thousands of assignments, for the worklist benchmark: one study per
 * assignment with a synthetic patient (romanised Japanese names, every one a new ID, so no
 * study is another's prior), a modality mix like a teleradiology service's (mostly chest
 * radiographs and CT, some mammography, MR and ultrasound), priorities and due times. No
 * images: the list is what is measured. The same seed and count give the same JSON.
 */
import { writeFile } from 'node:fs/promises'
import { createSeededRandom, pickWeighted } from './seeded-random.ts'
import { createUidGenerator } from './uid-generator.ts'

export type WorklistPriority = 'stat' | 'urgent' | 'routine'

export interface WorklistEntry {
  studyInstanceUid: string
  patientId: string
  /** DICOM PN, FAMILY^GIVEN, ASCII. */
  patientName: string
  patientSex: 'M' | 'F'
  /** DICOM AS, e.g. "054Y". */
  patientAge: string
  /** YYYYMMDD */
  patientBirthDate: string
  studyDate: string
  /** HHMMSS */
  studyTime: string
  studyDescription: string
  accessionNumber: string
  modalities: string[]
  bodyPart: string
  /** Which of the server's facilities (by position, modulo their number) sent the study. */
  facilitySlot: number
  priority: WorklistPriority
  readingType: 'first' | 'second'
  /** Due this many minutes after the worklist is loaded (negative: overdue). */
  dueInMinutes: number
}

export interface GeneratedWorklist {
  seed: string
  count: number
  assignments: WorklistEntry[]
}

const FAMILY_NAMES = ['SATO', 'SUZUKI', 'TAKAHASHI', 'TANAKA', 'WATANABE', 'ITO', 'YAMAMOTO', 'NAKAMURA', 'KOBAYASHI', 'KATO', 'YOSHIDA', 'YAMADA', 'SASAKI', 'YAMAGUCHI', 'MATSUMOTO', 'INOUE', 'KIMURA', 'HAYASHI', 'SHIMIZU', 'MORI']
const GIVEN_NAMES = {
  F: ['HANAKO', 'YUKI', 'MEGUMI', 'AYA', 'KEIKO', 'NAOMI', 'SACHIKO', 'TOMOKO', 'YOKO', 'MAI'],
  M: ['HIROSHI', 'TAKESHI', 'KENJI', 'MAKOTO', 'SATOSHI', 'DAISUKE', 'ICHIRO', 'KAZUO', 'YUTA', 'SHO'],
} as const

/** Modality, description, body part and how often it comes. */
const EXAMINATIONS: readonly (readonly [{ modality: string; description: string; bodyPart: string; female?: boolean }, number])[] = [
  [{ modality: 'CR', description: 'Chest PA (health checkup)', bodyPart: 'CHEST' }, 35],
  [{ modality: 'CT', description: 'CT chest without contrast', bodyPart: 'CHEST' }, 12],
  [{ modality: 'CT', description: 'CT head without contrast', bodyPart: 'HEAD' }, 8],
  [{ modality: 'MG', description: 'Screening mammography, bilateral', bodyPart: 'BREAST', female: true }, 15],
  [{ modality: 'MR', description: 'MR brain', bodyPart: 'BRAIN' }, 6],
  [{ modality: 'MR', description: 'MR lumbar spine', bodyPart: 'LSPINE' }, 4],
  [{ modality: 'US', description: 'US abdomen (health checkup)', bodyPart: 'ABDOMEN' }, 10],
  [{ modality: 'DX', description: 'Stomach series (health checkup)', bodyPart: 'STOMACH' }, 10],
]

const two = (n: number) => String(n).padStart(2, '0')

/** The worklist, in no particular order (the server sorts it). */
export function generateWorklist(options: { count: number; seed: string }): GeneratedWorklist {
  const { count, seed } = options
  if (!Number.isInteger(count) || count < 1) throw new Error(`a worklist of ${count} assignments cannot be generated`)
  const random = createSeededRandom(`${seed}/worklist/${count}`)
  const uid = createUidGenerator(`${seed}/worklist/${count}`)
  const integer = (low: number, high: number) => low + Math.floor(random() * (high - low + 1))
  const assignments: WorklistEntry[] = []
  for (let index = 0; index < count; index++) {
    const exam = pickWeighted(random, EXAMINATIONS)
    const sex = exam.female ? 'F' : random() < 0.5 ? 'F' : 'M'
    const age = integer(20, 89)
    const studyYear = 2024
    const studyMonth = integer(1, 12)
    const studyDay = integer(1, 28)
    const priority = pickWeighted(random, [['stat', 3], ['urgent', 17], ['routine', 80]] as const)
    const dueInMinutes = priority === 'stat' ? integer(-30, 60) : priority === 'urgent' ? integer(-60, 6 * 60) : integer(-12 * 60, 5 * 24 * 60)
    assignments.push({
      studyInstanceUid: uid(`study/${index}`),
      patientId: `BWL-${String(index + 1).padStart(6, '0')}`,
      patientName: `${FAMILY_NAMES[integer(0, FAMILY_NAMES.length - 1)]}^${GIVEN_NAMES[sex][integer(0, GIVEN_NAMES[sex].length - 1)]}`,
      patientSex: sex,
      patientAge: `${String(age).padStart(3, '0')}Y`,
      patientBirthDate: `${studyYear - age}${two(integer(1, 12))}${two(integer(1, 28))}`,
      studyDate: `${studyYear}${two(studyMonth)}${two(studyDay)}`,
      studyTime: `${two(integer(8, 17))}${two(integer(0, 59))}00`,
      studyDescription: exam.description,
      accessionNumber: `WL${String(index + 1).padStart(8, '0')}`,
      modalities: [exam.modality],
      bodyPart: exam.bodyPart,
      facilitySlot: integer(0, 9),
      priority,
      readingType: random() < 0.85 ? 'first' : 'second',
      dueInMinutes,
    })
  }
  return { seed, count, assignments }
}

/** Writes the worklist as JSON; returns its size in bytes. */
export async function writeWorklist(file: string, worklist: GeneratedWorklist): Promise<number> {
  const text = `${JSON.stringify(worklist, null, 1)}\n`
  await writeFile(file, text)
  return Buffer.byteLength(text)
}
