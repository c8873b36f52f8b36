/**
 * Building DICOM JSON (PS3.18 F.2) attributes: from a parsed file for WADO-RS metadata, and
 * from indexed database values for QIDO-RS. Value forms follow F.2.3: person names as
 * {Alphabetic, Ideographic, Phonetic}, IS/DS and binary numbers as JSON numbers, empty values as null.
 */
import type { DicomJsonAttribute, DicomJsonDataset } from '../shared/dicom-json.ts'
import { metadataAttributes, type DictionaryEntry } from './dicom-attribute-dictionary.ts'
import type { ParsedDicom } from './dicom-part10.ts'

const BINARY_NUMBER_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD'])
const DECIMAL_STRING_VRS = new Set(['IS', 'DS'])
// The VRs this builder can express; anything else (AT, SQ, bulk data) is left out rather than mis-encoded.
const SUPPORTED_VRS = new Set([
  ...BINARY_NUMBER_VRS,
  ...DECIMAL_STRING_VRS,
  'AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT',
])

type PersonName = { Alphabetic?: string; Ideographic?: string; Phonetic?: string }

/** A PN value split into its component groups ("Alphabetic=Ideographic=Phonetic"); null when empty. */
export function personNameValue(text: string): PersonName | null {
  const [alphabetic = '', ideographic = '', phonetic = ''] = text.split('=')
  const name: PersonName = {}
  if (alphabetic) name.Alphabetic = alphabetic
  if (ideographic) name.Ideographic = ideographic
  if (phonetic) name.Phonetic = phonetic
  return Object.keys(name).length > 0 ? name : null
}

function decimalValue(text: string): number | null {
  if (text === '') return null
  const n = Number(text)
  return Number.isFinite(n) ? n : null
}

/**
 * One attribute from already-decoded values: strings for string VRs (PN as "A^B=..."),
 * numbers or numeric strings for IS/DS. Empty input gives an attribute without Value.
 */
export function jsonAttribute(vr: string, values: ReadonlyArray<string | number | null>): DicomJsonAttribute {
  const present = values.filter((v) => v !== null && v !== '')
  if (present.length === 0) return { vr }
  const converted = values.map((v): unknown => {
    if (v === null || v === '') return null
    if (vr === 'PN') return personNameValue(String(v))
    if (DECIMAL_STRING_VRS.has(vr) || BINARY_NUMBER_VRS.has(vr)) return typeof v === 'number' ? v : decimalValue(v)
    return String(v)
  })
  return { vr, Value: converted }
}

function attributeFromFile(parsed: ParsedDicom, tag: string, entry: DictionaryEntry): DicomJsonAttribute | undefined {
  const element = parsed.dataSet.elements[`x${tag.toLowerCase()}`]
  if (!element) return undefined
  // Explicit VR files say what they hold; implicit VR files rely on the dictionary.
  const vr = element.vr && SUPPORTED_VRS.has(element.vr) ? element.vr : entry.vr
  if (!SUPPORTED_VRS.has(vr)) return undefined
  if (BINARY_NUMBER_VRS.has(vr)) return jsonAttribute(vr, parsed.binaryNumbers(tag, vr))
  return jsonAttribute(vr, parsed.strings(tag, vr))
}

/**
 * The DICOM JSON of the dictionary's attributes present in a parsed file, keys in tag order.
 * Text is already decoded, so the result declares ISO_IR 192 (JSON is always Unicode).
 */
export function buildDicomJson(
  parsed: ParsedDicom,
  attributes: Readonly<Record<string, DictionaryEntry>> = metadataAttributes,
): DicomJsonDataset {
  const dataset: DicomJsonDataset = {}
  for (const tag of Object.keys(attributes).sort()) {
    const entry = attributes[tag]
    if (!entry) continue
    const attribute = attributeFromFile(parsed, tag, entry)
    if (attribute) dataset[tag] = attribute
  }
  if (dataset['00080005']) dataset['00080005'] = { vr: 'CS', Value: ['ISO_IR 192'] }
  return dataset
}
