import { describe, expect, it } from 'vitest'
import { encodingForCharacterSet, textDecoderFor } from './dicom-character-set.ts'

describe('Specific Character Set decoding', () => {
  it('maps the common defined terms', () => {
    expect(encodingForCharacterSet('')).toBe('latin1')
    expect(encodingForCharacterSet('ISO_IR 100')).toBe('latin1')
    expect(encodingForCharacterSet('ISO-IR 100')).toBe('latin1')
    expect(encodingForCharacterSet('ISO_IR 192')).toBe('utf-8')
    expect(encodingForCharacterSet('ISO_IR 13')).toBe('shift_jis')
    expect(encodingForCharacterSet('\\ISO 2022 IR 87')).toBe('iso-2022-jp')
    expect(encodingForCharacterSet('ISO 2022 IR 6\\ISO 2022 IR 87')).toBe('iso-2022-jp')
    expect(encodingForCharacterSet('NOT A CHARSET')).toBe('latin1')
  })

  it('decodes UTF-8 and latin1 text', () => {
    expect(textDecoderFor('ISO_IR 192')(new TextEncoder().encode('山田^太郎'))).toBe('山田^太郎')
    expect(textDecoderFor('ISO_IR 100')(Uint8Array.of(0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72))).toBe('Müller')
  })

  it('decodes JIS X 0208 escapes (the DICOM PS3.5 H.3.1 Japanese name example)', () => {
    // Yamada^Tarou=ESC $ B 山田 ESC ( B ^ ESC $ B 太郎 ESC ( B
    const bytes = Uint8Array.of(
      0x59, 0x61, 0x6d, 0x61, 0x64, 0x61, 0x5e, 0x54, 0x61, 0x72, 0x6f, 0x75, 0x3d,
      0x1b, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, 0x1b, 0x28, 0x42, 0x5e,
      0x1b, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, 0x1b, 0x28, 0x42,
    )
    expect(textDecoderFor('\\ISO 2022 IR 87')(bytes)).toBe('Yamada^Tarou=山田^太郎')
  })
})
