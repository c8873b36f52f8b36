import { describe, expect, it } from 'vitest'
import { anonymisedLabel, formatPersonName, patientDisplay, visiblePatientName } from './patient-display.ts'

describe('patient display', () => {
  it('shows a DICOM person name with carets as spaces', () => {
    expect(formatPersonName('DOE^J1')).toBe('DOE J1')
    expect(formatPersonName('Yamada^Tarou^^^')).toBe('Yamada Tarou')
    expect(formatPersonName('=山田^太郎')).toBe('山田 太郎')
    expect(formatPersonName('^^=^')).toBe('')
    expect(formatPersonName('')).toBe('')
  })

  it('shows the ideographic group first, with the alphabetic or else the phonetic reading after it', () => {
    expect(formatPersonName('Yamada^Tarou=山田^太郎=やまだ^たろう')).toBe('山田 太郎 (Yamada Tarou)')
    expect(formatPersonName('ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう')).toBe('山田 太郎 (ﾔﾏﾀﾞ ﾀﾛｳ)')
    expect(formatPersonName('=山田^太郎=やまだ^たろう')).toBe('山田 太郎 (やまだ たろう)')
    expect(formatPersonName('Hong^Gildong=洪^吉洞=홍^길동')).toBe('洪 吉洞 (Hong Gildong)')
    expect(formatPersonName('Zhang^XiaoDong=张^小东=')).toBe('张 小东 (Zhang XiaoDong)')
    expect(formatPersonName('==やまだ^たろう')).toBe('やまだ たろう')
  })

  it('labels anonymised studies with the prefix and six hex digits, the same every time', () => {
    const label = anonymisedLabel('MHC', '1.2.3.4')
    expect(label).toMatch(/^MHC-[0-9A-F]{6}$/)
    expect(anonymisedLabel('MHC', '1.2.3.4')).toBe(label)
    expect(anonymisedLabel('MHC', '1.2.3.5')).not.toBe(label)
  })

  it('applies the facility policy', () => {
    expect(patientDisplay('named', 'X', 'DOE^JANE', '1.2')).toBe('DOE JANE')
    expect(patientDisplay('anonymised', 'X', 'DOE^JANE', '1.2')).toBe(anonymisedLabel('X', '1.2'))
    expect(visiblePatientName('named', 'X', 'DOE^JANE', '1.2')).toBe('DOE^JANE')
    expect(visiblePatientName('anonymised', 'X', 'DOE^JANE', '1.2')).not.toContain('DOE')
  })
})
