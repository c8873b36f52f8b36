/**
 * Minimal explicit-VR little-endian Part-10 files built in memory, for tests that need DICOM
 * no public file covers (other patients, dates, character sets, broken headers). No pixel data.
 */

export type SyntheticElement = [tag: string, vr: string, value: string | Uint8Array]

export const EXPLICIT_LE = '1.2.840.10008.1.2.1'
export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7'

/** A Part-10 file holding exactly these elements (group 0002 becomes the file meta information). */
export function syntheticDicom(elements: SyntheticElement[]): Uint8Array {
  const byTag = (a: SyntheticElement, b: SyntheticElement) => (a[0] < b[0] ? -1 : 1)
  const encode = ([tag, vr, value]: SyntheticElement): Uint8Array => {
    let bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value
    if (bytes.length % 2 === 1) bytes = Uint8Array.from([...bytes, vr === 'UI' ? 0 : 0x20])
    const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr)
    const head = new DataView(new ArrayBuffer(long ? 12 : 8))
    head.setUint16(0, parseInt(tag.slice(0, 4), 16), true)
    head.setUint16(2, parseInt(tag.slice(4), 16), true)
    head.setUint8(4, vr.charCodeAt(0))
    head.setUint8(5, vr.charCodeAt(1))
    if (long) head.setUint32(8, bytes.length, true)
    else head.setUint16(6, bytes.length, true)
    return Uint8Array.from([...new Uint8Array(head.buffer), ...bytes])
  }
  const sorted = [...elements].sort(byTag)
  const meta = sorted.filter(([tag]) => tag.startsWith('0002')).map(encode)
  const metaLength = meta.reduce((n, e) => n + e.length, 0)
  const groupLength = new Uint8Array(4)
  new DataView(groupLength.buffer).setUint32(0, metaLength, true)
  const parts = [
    new Uint8Array(128),
    new TextEncoder().encode('DICM'),
    encode(['00020000', 'UL', groupLength]),
    ...meta,
    ...sorted.filter(([tag]) => !tag.startsWith('0002')).map(encode),
  ]
  return Uint8Array.from(parts.flatMap((p) => [...p]))
}

export interface SyntheticStudy {
  /** Also the root of the series (`.1`) and instance (`.1.1`) UIDs. */
  studyInstanceUid: string
  patientId: string
  patientName?: string
  /** DICOM DA and TM; empty leaves the element empty. */
  studyDate: string
  studyTime?: string
  modality?: string
  studyDescription?: string
}

/** A one-instance study of a patient on a date: what prior lookup needs, and nothing more. */
export function syntheticStudyFile(study: SyntheticStudy): Uint8Array {
  const sop = `${study.studyInstanceUid}.1.1`
  return syntheticDicom([
    ['00020002', 'UI', SECONDARY_CAPTURE],
    ['00020003', 'UI', sop],
    ['00020010', 'UI', EXPLICIT_LE],
    ['00080016', 'UI', SECONDARY_CAPTURE],
    ['00080018', 'UI', sop],
    ['00080020', 'DA', study.studyDate],
    ['00080030', 'TM', study.studyTime ?? ''],
    ['00080060', 'CS', study.modality ?? 'OT'],
    ['00081030', 'LO', study.studyDescription ?? ''],
    ['00100010', 'PN', study.patientName ?? ''],
    ['00100020', 'LO', study.patientId],
    ['0020000D', 'UI', study.studyInstanceUid],
    ['0020000E', 'UI', `${study.studyInstanceUid}.1`],
  ])
}
