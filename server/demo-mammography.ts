/**
 * A screening mammogram in four views (RCC, LCC, RMLO, LMLO) and its prior a year earlier, for
 * one demo patient at the Minato Health Checkup Center.
 *
 * Not real four-view data: every view is the same real image, the NEMA WG04 MG1 left MLO in
 * demo-data/dicom (a DDSM film digitised at 50 µm, JPEG 2000 lossy), its encapsulated pixel data
 * copied as it is, only the header saying which view it stands for. The film's burned-in label
 * therefore reads "L MLO" in all eight images.
 *
 * Each instance is a Digital Mammography X-Ray Image - For Presentation, with the attributes that
 * IOD requires and values consistent with the source (see mammographyAttributes).
 *
 * Patient Orientation tells the truth about the pixels as stored. The source is a left MLO with
 * the chest wall at the left edge and the nipple pointing right: rows run toward the patient's
 * anterior, columns toward the feet (the source's own "A\F"). That is how a left breast is
 * displayed, so the left views need no change. A right breast is displayed mirrored (nipple to
 * the left, rows toward posterior, "P"), but the right views carry the same pixels, so their
 * rows still run toward anterior ("A"): a viewer that honours Patient Orientation flips them
 * horizontally. Columns: top of a CC view is the lateral side, so its columns run toward the
 * medial side (the patient's left "L" for the right breast, right "R" for the left); an MLO's
 * run toward the feet ("F"), as in the source.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DicomElement, DicomItem, Tag } from './dicom-part10-writer.ts'
import { parseDicom } from './dicom-part10.ts'
import { rewritePart10 } from './dicom-part10-rewrite.ts'
import { DEMO_DERIVATION_IDENTITY, demoUid, isPrivateOrGroupLength, yearsEarlier, type DerivedInstance } from './demo-derivation.ts'

export const MAMMOGRAPHY_SOURCE = 'mammogram/MG1_J2KI.dcm'
export const MAMMOGRAPHY_PATIENT = { id: 'DEMO-MG-01', name: 'DEMO^MAMMO' }
export const DIGITAL_MAMMOGRAPHY_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.2'

export type ScreeningRound = 'current' | 'prior'

export interface MammographyView {
  laterality: 'R' | 'L'
  view: 'CC' | 'MLO'
  /** Patient Orientation (0020,0020) of the pixels as stored: row direction, column direction. */
  patientOrientation: readonly [string, string]
}

/** The four views in series order. */
export const MAMMOGRAPHY_VIEWS: readonly MammographyView[] = [
  { laterality: 'R', view: 'CC', patientOrientation: ['A', 'L'] },
  { laterality: 'L', view: 'CC', patientOrientation: ['A', 'R'] },
  { laterality: 'R', view: 'MLO', patientOrientation: ['A', 'F'] },
  { laterality: 'L', view: 'MLO', patientOrientation: ['A', 'F'] },
]

const NAME = 'mammo-screening'
/** The source's StudyDate and StudyTime date the current round. */
const CURRENT_DATE = '20040826'
const TIME = '185059'
/** The source's age at the current round. */
const CURRENT_AGE = 75

// SNOMED CT codes of CID 4014 (View for Mammography) and CID 4013 (Breast).
const VIEW_CODES = {
  CC: { value: '399162004', meaning: 'cranio-caudal' },
  MLO: { value: '399368009', meaning: 'medio-lateral oblique' },
} as const

/**
 * Secondary Capture attributes the mammography IOD does not have, and the instance creation
 * stamps (the derived instance was not created then, nor by that creator). The source's
 * reference to its uncompressed predecessor is replaced by a reference to the source itself.
 */
const DROPPED: ReadonlySet<Tag> = new Set(['00080012', '00080013', '00080014', '00080064', '00181012', '00181016'])

export function mammographyStudyUid(round: ScreeningRound): string {
  return demoUid(NAME, round, 'study')
}

const code = (value: string, meaning: string): DicomItem => [
  { tag: '00080100', vr: 'SH', value },
  { tag: '00080102', vr: 'SH', value: 'SCT' },
  { tag: '00080104', vr: 'LO', value: meaning },
]

/**
 * What the Digital Mammography X-Ray Image IOD requires beyond the source's attributes (DX Series,
 * DX Anatomy Imaged, DX Image, DX Detector, Mammography Image, Acquisition Context), with values
 * that hold for a film digitised at 50 µm (the source's SpatialResolution, ConversionType DF).
 */
function mammographyAttributes(view: MammographyView): DicomElement[] {
  return [
    { tag: '00080016', vr: 'UI', value: DIGITAL_MAMMOGRAPHY_FOR_PRESENTATION },
    { tag: '00080060', vr: 'CS', value: 'MG' },
    { tag: '00080068', vr: 'CS', value: 'FOR PRESENTATION' },
    { tag: '00082218', vr: 'SQ', value: [code('76752008', 'Breast')] },
    { tag: '00181164', vr: 'DS', value: ['0.05', '0.05'] },
    { tag: '00181508', vr: 'CS', value: 'MAMMOGRAPHIC' },
    { tag: '00185101', vr: 'CS', value: view.view },
    { tag: '00187004', vr: 'CS', value: 'FILM' },
    { tag: '00200020', vr: 'CS', value: [...view.patientOrientation] },
    { tag: '00200060', vr: 'CS', value: view.laterality },
    { tag: '00200062', vr: 'CS', value: view.laterality },
    // The film's label ("L MLO") is in the pixels.
    { tag: '00280301', vr: 'CS', value: 'YES' },
    // Digitised film: values follow optical density, and brighter (higher) means less exposure.
    { tag: '00281040', vr: 'CS', value: 'LOG' },
    { tag: '00281041', vr: 'SS', value: Uint8Array.of(0xff, 0xff) },
    { tag: '00281052', vr: 'DS', value: '0' },
    { tag: '00281053', vr: 'DS', value: '1' },
    { tag: '00281054', vr: 'LO', value: 'US' },
    { tag: '00282114', vr: 'CS', value: 'ISO_15444_1' },
    { tag: '00400318', vr: 'CS', value: 'BREAST' },
    { tag: '00400555', vr: 'SQ', value: [] },
    {
      tag: '00540220',
      vr: 'SQ',
      value: [[...code(VIEW_CODES[view.view].value, VIEW_CODES[view.view].meaning), { tag: '00540222', vr: 'SQ', value: [] }]],
    },
    { tag: '20500020', vr: 'CS', value: 'IDENTITY' },
  ]
}

/** The four instances of one screening round, one series per view. */
export async function deriveMammography(dicomDir: string, round: ScreeningRound): Promise<DerivedInstance[]> {
  const source = new Uint8Array(await readFile(join(dicomDir, MAMMOGRAPHY_SOURCE)))
  const parsed = parseDicom(source, { untilPixelData: true })
  const date = round === 'current' ? CURRENT_DATE : yearsEarlier(CURRENT_DATE, 1)
  const age = round === 'current' ? CURRENT_AGE : CURRENT_AGE - 1
  return MAMMOGRAPHY_VIEWS.map((view, index) => {
    const label = `${view.laterality}${view.view}`
    const set: DicomElement[] = [
      ...mammographyAttributes(view),
      { tag: '00080018', vr: 'UI', value: demoUid(NAME, round, 'instance', label) },
      ...['00080020', '00080021', '00080023'].map((tag): DicomElement => ({ tag, vr: 'DA', value: date })),
      ...['00080030', '00080031', '00080033'].map((tag): DicomElement => ({ tag, vr: 'TM', value: TIME })),
      { tag: '00080050', vr: 'SH', value: `MG${date}` },
      { tag: '00080090', vr: 'PN', value: '' },
      { tag: '00081030', vr: 'LO', value: 'Screening mammography, bilateral (demo)' },
      { tag: '0008103E', vr: 'LO', value: `${view.laterality} ${view.view}` },
      {
        tag: '00082111',
        vr: 'ST',
        value: `Demo data, not a real four-view examination: the NEMA WG04 MG1 left MLO (a DDSM digitised film, JPEG 2000 lossy 10:1) with new identifiers, labelled as the ${label} view of the ${round} round and dated accordingly, made by the demo seed. The pixels are the source's; its burned-in label reads L MLO.`,
      },
      {
        tag: '00082112',
        vr: 'SQ',
        value: [
          [
            { tag: '00081150', vr: 'UI', value: parsed.text('00080016', 'UI') },
            { tag: '00081155', vr: 'UI', value: parsed.text('00080018', 'UI') },
          ],
        ],
      },
      { tag: '00100010', vr: 'PN', value: MAMMOGRAPHY_PATIENT.name },
      { tag: '00100020', vr: 'LO', value: MAMMOGRAPHY_PATIENT.id },
      { tag: '00100030', vr: 'DA', value: '' },
      { tag: '00100040', vr: 'CS', value: 'F' },
      { tag: '00101010', vr: 'AS', value: `${String(age).padStart(3, '0')}Y` },
      { tag: '0020000D', vr: 'UI', value: mammographyStudyUid(round) },
      { tag: '0020000E', vr: 'UI', value: demoUid(NAME, round, 'series', label) },
      { tag: '00200010', vr: 'SH', value: round === 'current' ? '2' : '1' },
      { tag: '00200011', vr: 'IS', value: String(index + 1) },
      { tag: '00200013', vr: 'IS', value: '1' },
    ]
    const bytes = rewritePart10(source, { set, drop: (tag) => isPrivateOrGroupLength(tag) || DROPPED.has(tag) }, DEMO_DERIVATION_IDENTITY)
    return { name: `${round}-${label}.dcm`, bytes }
  })
}
