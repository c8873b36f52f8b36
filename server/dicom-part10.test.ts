import { describe, expect, it } from 'vitest'
import { parseDicom } from './dicom-part10.ts'
import { EXPLICIT_LE, SECONDARY_CAPTURE, syntheticDicom } from './synthetic-dicom.ts'

const ESC = 0x1b
/** Greek Δ after an escape to ISO 2022 IR 126, a delimiter, then é in value 1 (IR 100) with no escape back. */
const greekThenLatin = (delimiter: string) => Uint8Array.from([ESC, 0x2d, 0x46, 0xc4, delimiter.charCodeAt(0), 0xe9])

function fileWith(vr: string, value: Uint8Array) {
  return parseDicom(
    syntheticDicom([
      ['00020002', 'UI', SECONDARY_CAPTURE],
      ['00020003', 'UI', '1.2.3.4'],
      ['00020010', 'UI', EXPLICIT_LE],
      ['00080005', 'CS', 'ISO 2022 IR 100\\ISO 2022 IR 126'],
      ['00100010', vr, value],
    ]),
  )
}

describe('parseDicom text', () => {
  it('decodes each value by its VR: a person name returns to value 1 at ^, a text value keeps a backslash as text', () => {
    expect(fileWith('PN', greekThenLatin('^')).text('00100010', 'PN')).toBe('Δ^é')
    expect(fileWith('LO', greekThenLatin('\\')).text('00100010', 'LO')).toBe('Δ\\é')
    expect(fileWith('LT', greekThenLatin('\\')).text('00100010', 'LT')).toBe('Δ\\ι')
  })
})
