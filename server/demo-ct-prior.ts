/**
 * A prior for the phantom head CT: the same phantom (PatientID PLASTIC, Sakura Clinic) "scanned"
 * a year earlier. Made from the real slices of demo-data/dicom/ct-phantom with new Study,
 * Series and SOP Instance UIDs and dates one year back, so the server lists it as the head CT's
 * prior (prior-studies.ts).
 *
 * The geometry stays as it was (Image Position/Orientation and Frame of Reference UID), so a
 * viewer can synchronise the two by slice position. The prior covers a shorter range than the
 * current, the first and last PRIOR_SLICES_CUT slices left out, so the nth slice of one is not
 * the nth of the other: scrolling by index and scrolling by position give different answers,
 * and a test can tell which the viewer does.
 */
import { join } from 'node:path'
import { readFile } from 'node:fs/promises'
import type { DicomElement, Tag } from './dicom-part10-writer.ts'
import { collectFiles } from './dicom-import.ts'
import { parseDicom } from './dicom-part10.ts'
import { rewritePart10 } from './dicom-part10-rewrite.ts'
import { DEMO_DERIVATION_IDENTITY, demoUid, isPrivateOrGroupLength, yearsEarlier, type DerivedInstance } from './demo-derivation.ts'

/** The source folder under demo-data/dicom. */
export const CT_PRIOR_SOURCE = 'ct-phantom'
/** Slices left out at each end of the source series. */
export const PRIOR_SLICES_CUT = 2

const NAME = 'ct-head-last-year'
const DA_TAGS: readonly Tag[] = ['00080012', '00080020', '00080021', '00080022', '00080023']
const ACQUISITION_DATETIME: Tag = '0008002A'
/**
 * References to instances of the current study's acquisition (its performed procedure step and
 * localizer), which the prior does not have.
 */
const DROPPED: ReadonlySet<Tag> = new Set(['00081111', '00081140'])

export const CT_PRIOR_STUDY_UID = demoUid(NAME, 'study')

/** The prior's instances, in slice order, numbered from 1. */
export async function deriveCtPrior(dicomDir: string): Promise<DerivedInstance[]> {
  const files = await collectFiles([join(dicomDir, CT_PRIOR_SOURCE)])
  const sources = await Promise.all(
    files.map(async (file) => {
      const bytes = new Uint8Array(await readFile(file))
      const parsed = parseDicom(bytes)
      return { bytes, parsed, instanceNumber: Number(parsed.text('00200013', 'IS')) }
    }),
  )
  sources.sort((a, b) => a.instanceNumber - b.instanceNumber)
  const kept = sources.slice(PRIOR_SLICES_CUT, sources.length - PRIOR_SLICES_CUT)
  const seriesUid = demoUid(NAME, 'series', '1')
  return kept.map(({ bytes, parsed }, index) => {
    const instanceNumber = index + 1
    const dates: DicomElement[] = DA_TAGS.filter((tag) => parsed.text(tag, 'DA') !== '').map((tag) => ({
      tag,
      vr: 'DA',
      value: yearsEarlier(parsed.text(tag, 'DA'), 1),
    }))
    const acquired = parsed.text(ACQUISITION_DATETIME, 'DT')
    if (acquired !== '') dates.push({ tag: ACQUISITION_DATETIME, vr: 'DT', value: `${yearsEarlier(acquired.slice(0, 8), 1)}${acquired.slice(8)}` })
    const set: DicomElement[] = [
      ...dates,
      { tag: '00080008', vr: 'CS', value: ['DERIVED', ...parsed.strings('00080008', 'CS').slice(1)] },
      { tag: '00080018', vr: 'UI', value: demoUid(NAME, 'instance', String(instanceNumber)) },
      { tag: '00081030', vr: 'LO', value: `${parsed.text('00081030', 'LO')} (prior, demo)`.slice(0, 64) },
      {
        tag: '00082111',
        vr: 'ST',
        value:
          'Demo data, not a real prior: a copy of a phantom head CT slice (dcm_qa_ct) with new UIDs, dated one year earlier, made by the demo seed.',
      },
      { tag: '0020000D', vr: 'UI', value: CT_PRIOR_STUDY_UID },
      { tag: '0020000E', vr: 'UI', value: seriesUid },
      { tag: '00200010', vr: 'SH', value: 'DEMOPRIOR' },
      { tag: '00200013', vr: 'IS', value: String(instanceNumber) },
    ]
    const file = rewritePart10(bytes, { set, drop: (tag) => isPrivateOrGroupLength(tag) || DROPPED.has(tag) }, DEMO_DERIVATION_IDENTITY)
    return { name: `prior-${String(instanceNumber).padStart(3, '0')}.dcm`, bytes: file }
  })
}
