/**
 * A health-checkup chest X-ray and its prior a year earlier: two studies of one demo patient
 * at the Minato Health Checkup Center, made from the real Fuji CR chest (MONOCHROME1, 10 bits)
 * in demo-data/dicom with new identifiers. The current keeps the source's pixels; the prior's
 * are shifted by PRIOR_SHIFT, the uncovered edge filled with the source's darkest value, so
 * that manual registration in a flicker comparison has something to correct and a test can
 * tell the two images apart. Everything else about the image (MONOCHROME1 included) is kept.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DicomElement, Tag } from './dicom-part10-writer.ts'
import { parseDicom } from './dicom-part10.ts'
import { rewritePart10 } from './dicom-part10-rewrite.ts'
import { DEMO_DERIVATION_IDENTITY, demoUid, isPrivateOrGroupLength, yearsEarlier, type DerivedInstance } from './demo-derivation.ts'

export const CR_PAIR_SOURCE = 'cr-chest/gdcm-CR-MONO1-10-chest.dcm'
export const CR_PAIR_PATIENT = { id: 'DEMO-CXR-01', name: 'DEMO^CHEST' }
/** How the prior's image content is moved relative to the current's, in pixels. */
export const PRIOR_SHIFT = { right: 6, down: 4 }

export type PairMember = 'current' | 'prior'

const NAME = 'cr-chest-checkup'
/** The source has no StudyDate; its acquisition (1993-02-24 17:58) dates the current study. */
const CURRENT_DATE = '19930224'
const TIME = '175800'
/**
 * The source writes these as "1995.07.20" and "11:22:07", which are not DICOM DA and TM; the
 * acquisition date and time are rewritten per study.
 */
const DROPPED: ReadonlySet<Tag> = new Set(['00080012', '00080013'])

export function crPairStudyUid(which: PairMember): string {
  return demoUid(NAME, which, 'study')
}

/**
 * An image of `rows` x `columns` 16-bit pixels moved right and down, the uncovered band
 * filled with `fill`: out[r][c] = in[r - down][c - right].
 */
export function shiftPixels(pixels: Uint16Array, rows: number, columns: number, shift: { right: number; down: number }, fill: number): Uint16Array {
  const out = new Uint16Array(rows * columns).fill(fill)
  for (let r = shift.down; r < rows; r++) {
    const from = (r - shift.down) * columns
    out.set(pixels.subarray(from, from + columns - shift.right), r * columns + shift.right)
  }
  return out
}

/** The current study's or the prior's one instance. */
export async function deriveCrChestPair(dicomDir: string, which: PairMember): Promise<DerivedInstance[]> {
  const source = new Uint8Array(await readFile(join(dicomDir, CR_PAIR_SOURCE)))
  const parsed = parseDicom(source)
  const date = which === 'current' ? CURRENT_DATE : yearsEarlier(CURRENT_DATE, 1)
  const set: DicomElement[] = [
    // The source writes its two values with a space instead of a backslash; the copy is derived in any case.
    { tag: '00080008', vr: 'CS', value: ['DERIVED', 'PRIMARY'] },
    { tag: '00080018', vr: 'UI', value: demoUid(NAME, which, 'instance') },
    ...['00080020', '00080021', '00080022', '00080023'].map((tag): DicomElement => ({ tag, vr: 'DA', value: date })),
    ...['00080030', '00080031', '00080032', '00080033'].map((tag): DicomElement => ({ tag, vr: 'TM', value: TIME })),
    { tag: '00080050', vr: 'SH', value: `CXR${date}` },
    { tag: '00080090', vr: 'PN', value: '' },
    { tag: '00081030', vr: 'LO', value: 'Chest X-ray PA (health checkup)' },
    { tag: '0008103E', vr: 'LO', value: 'CHEST PA' },
    {
      tag: '00082111',
      vr: 'ST',
      value:
        which === 'current'
          ? 'Demo data, not a patient: a public CR chest sample (GDCM CR-MONO1-10-chest) with new identifiers, made by the demo seed.'
          : `Demo data, not a patient: a public CR chest sample (GDCM CR-MONO1-10-chest) with new identifiers and its pixels shifted ${PRIOR_SHIFT.right} right and ${PRIOR_SHIFT.down} down, dated one year earlier, made by the demo seed.`,
    },
    { tag: '00100010', vr: 'PN', value: CR_PAIR_PATIENT.name },
    { tag: '00100020', vr: 'LO', value: CR_PAIR_PATIENT.id },
    { tag: '00100030', vr: 'DA', value: '' },
    { tag: '00100040', vr: 'CS', value: '' },
    { tag: '0020000D', vr: 'UI', value: crPairStudyUid(which) },
    { tag: '0020000E', vr: 'UI', value: demoUid(NAME, which, 'series') },
    { tag: '00200010', vr: 'SH', value: which === 'current' ? '2' : '1' },
    { tag: '00200011', vr: 'IS', value: '1' },
    { tag: '00200013', vr: 'IS', value: '1' },
    // A PA chest as displayed: the patient's left on the screen's right, feet down.
    { tag: '00200020', vr: 'CS', value: ['L', 'F'] },
  ]
  if (which === 'prior') set.push({ tag: '7FE00010', vr: 'OW', value: shiftedPixelData(parsed) })
  const bytes = rewritePart10(source, { set, drop: (tag) => isPrivateOrGroupLength(tag) || DROPPED.has(tag) }, DEMO_DERIVATION_IDENTITY)
  return [{ name: `${which}.dcm`, bytes }]
}

/** The source's native 16-bit pixels shifted by PRIOR_SHIFT, as little-endian bytes. */
function shiftedPixelData(parsed: ReturnType<typeof parseDicom>): Uint8Array {
  const [rows, columns, bitsAllocated] = ['00280010', '00280011', '00280100'].map((tag) => parsed.binaryNumbers(tag, 'US')[0])
  const element = parsed.dataSet.elements.x7fe00010
  if (!rows || !columns || bitsAllocated !== 16 || !element || element.length < rows * columns * 2) {
    throw new Error(`${CR_PAIR_SOURCE}: expected native 16-bit pixel data`)
  }
  const raw = parsed.dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + rows * columns * 2)
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const pixels = Uint16Array.from({ length: rows * columns }, (_, i) => view.getUint16(i * 2, true))
  // MONOCHROME1: the largest value is the darkest, which is what the film border around the
  // exposure looks like (the source's BorderDensity says BLACK).
  const fill = pixels.reduce((max, v) => (v > max ? v : max), 0)
  const shifted = shiftPixels(pixels, rows, columns, PRIOR_SHIFT, fill)
  const out = new Uint8Array(shifted.length * 2)
  const outView = new DataView(out.buffer)
  shifted.forEach((v, i) => outView.setUint16(i * 2, v, true))
  return out
}
