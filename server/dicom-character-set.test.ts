import { describe, expect, it } from 'vitest'
import { decodeDicomText, textDecoderFor } from './dicom-character-set.ts'

/** Bytes from a hex listing as the standard prints them ("1B 24 42 ..."). */
function hex(listing: string): Uint8Array {
  return Uint8Array.from(listing.trim().split(/\s+/), (h) => Number.parseInt(h, 16))
}

/** Bytes from parts: strings are taken byte for byte (only code points below 256), arrays as they are. */
function bytes(...parts: Array<string | number[]>): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)))
}

const ESC = 0x1b

describe('the PS3.5 Annex H, I, J and K examples', () => {
  it('H.3.1: Japanese name in ISO 2022 IR 87 (JIS X 0208 in G0)', () => {
    const value = hex(`
      59 61 6D 61 64 61 5E 54 61 72 6F 75 3D 1B 24 42 3B 33 45 44 1B 28 42 5E 1B 24 42 42 40 4F 3A 1B 28 42 3D
      1B 24 42 24 64 24 5E 24 40 1B 28 42 5E 1B 24 42 24 3F 24 6D 24 26 1B 28 42`)
    expect(decodeDicomText(value, '\\ISO 2022 IR 87', 'PN')).toBe('Yamada^Tarou=山田^太郎=やまだ^たろう')
  })

  it('H.3.2: JIS X 0201 katakana in G1 (8-bit bytes) with ISO 2022 IR 13 as value 1', () => {
    // ESC ( J returns to JIS X 0201 Roman, value 1's G0 set
    const value = hex(`
      D4 CF C0 DE 5E C0 DB B3 3D 1B 24 42 3B 33 45 44 1B 28 4A 5E 1B 24 42 42 40 4F 3A 1B 28 4A 3D
      1B 24 42 24 64 24 5E 24 40 1B 28 4A 5E 1B 24 42 24 3F 24 6D 24 26 1B 28 4A`)
    expect(decodeDicomText(value, 'ISO 2022 IR 13\\ISO 2022 IR 87', 'PN')).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう')
  })

  it('I.2: Korean name in ISO 2022 IR 149 (KS X 1001 in G1), designated again after each delimiter', () => {
    const value = hex(`
      48 6F 6E 67 5E 47 69 6C 64 6F 6E 67 3D 1B 24 29 43 FB F3 5E 1B 24 29 43 D1 CE D4 D7 3D
      1B 24 29 43 C8 AB 5E 1B 24 29 43 B1 E6 B5 BF`)
    expect(decodeDicomText(value, '\\ISO 2022 IR 149', 'PN')).toBe('Hong^Gildong=洪^吉洞=홍^길동')
  })

  it('I.1: Korean long text, the designation repeated after each CR LF', () => {
    const gildong = [ESC, 0x24, 0x29, 0x43, 0xb1, 0xe6, 0xb5, 0xbf]
    const value = bytes('The 1st line includes ', gildong, '.\r\nThe 2nd line includes ', gildong, ', too.\r\nThe 3rd line.')
    expect(decodeDicomText(value, '\\ISO 2022 IR 149', 'LT')).toBe(
      'The 1st line includes 길동.\r\nThe 2nd line includes 길동, too.\r\nThe 3rd line.',
    )
  })

  it('J.1 and J.3: Chinese name in UTF-8 and in GB18030', () => {
    const utf8 = hex('57 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D E7 8E 8B 5E E5 B0 8F E6 9D B1 3D')
    expect(decodeDicomText(utf8, 'ISO_IR 192', 'PN')).toBe('Wang^XiaoDong=王^小東=')
    const gb18030 = hex('57 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D CD F5 5E D0 A1 B6 AB 3D')
    expect(decodeDicomText(gb18030, 'GB18030', 'PN')).toBe('Wang^XiaoDong=王^小东=')
  })

  it('J.4: Chinese long text in GB18030', () => {
    const zhongwen = [0xd6, 0xd0, 0xce, 0xc4]
    const value = bytes('The first line includes', zhongwen, '.\r\nThe second line includes', zhongwen, ', too.\r\nThe third line.\r\n')
    expect(decodeDicomText(value, 'GB18030', 'LT')).toBe('The first line includes中文.\r\nThe second line includes中文, too.\r\nThe third line.\r\n')
  })

  it('K.2: Chinese name in ISO 2022 IR 58 (GB 2312 in G1)', () => {
    const value = hex('5A 68 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D 1B 24 29 41 D5 C5 5E 1B 24 29 41 D0 A1 B6 AB 3D 20')
    expect(decodeDicomText(value, '\\ISO 2022 IR 58', 'PN')).toBe('Zhang^XiaoDong=张^小东= ')
  })

  it('K.3: Chinese long text in ISO 2022 IR 58', () => {
    const value = hex(`
      31 2E 1B 24 29 41 B5 DA D2 BB D0 D0 CE C4 D7 D6 A1 A3 0D 0A
      32 2E 1B 24 29 41 B5 DA B6 FE D0 D0 CE C4 D7 D6 A1 A3 0D 0A
      33 2E 1B 24 29 41 B5 DA C8 FD D0 D0 CE C4 D7 D6 A1 A3 0D 0A`)
    expect(decodeDicomText(value, '\\ISO 2022 IR 58', 'LT')).toBe('1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n')
  })
})

// Names from D. Clunie's character set samples (as used by pydicom's tests), one per single-byte set.
const SINGLE_BYTE_NAMES: ReadonlyArray<{ ir: string; escape: string; encoded: number[]; text: string }> = [
  { ir: '100', escape: '-A', encoded: [0x42, 0x75, 0x63, 0x5e, 0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65], text: 'Buc^Jérôme' },
  { ir: '101', escape: '-B', encoded: [0x57, 0x61, 0xb3, 0xea, 0x73, 0x61], text: 'Wałęsa' },
  { ir: '109', escape: '-C', encoded: [0x61, 0x6e, 0x74, 0x61, 0xfd, 0x6e, 0x6f, 0x6d, 0x6f], text: 'antaŭnomo' },
  { ir: '110', escape: '-D', encoded: [0x76, 0xe0, 0x72, 0x64, 0x73], text: 'vārds' },
  { ir: '144', escape: '-L', encoded: [0xbb, 0xee, 0xda, 0x63, 0x65, 0xdc, 0xd1, 0x79, 0x70, 0xd3], text: 'Люкceмбypг' },
  { ir: '127', escape: '-G', encoded: [0xe2, 0xc8, 0xc7, 0xe6, 0xea, 0x5e, 0xe4, 0xe6, 0xd2, 0xc7, 0xd1], text: 'قباني^لنزار' },
  { ir: '126', escape: '-F', encoded: [0xc4, 0xe9, 0xef, 0xed, 0xf5, 0xf3, 0xe9, 0xef, 0xf2], text: 'Διονυσιος' },
  { ir: '138', escape: '-H', encoded: [0xf9, 0xf8, 0xe5, 0xef, 0x5e, 0xe3, 0xe1, 0xe5, 0xf8, 0xe4], text: 'שרון^דבורה' },
  { ir: '148', escape: '-M', encoded: [0xc7, 0x61, 0x76, 0x75, 0xfe, 0x6f, 0xf0, 0x6c, 0x75], text: 'Çavuşoğlu' },
  { ir: '203', escape: '-b', encoded: [0xbc, 0x75, 0x76, 0x72, 0x65, 0x20, 0xa4], text: 'Œuvre €' },
  { ir: '166', escape: '-T', encoded: [0xb9, 0xd2, 0xc1, 0xca, 0xa1, 0xd8, 0xc5], text: 'นามสกุล' },
  { ir: '13', escape: ')I', encoded: [0xd4, 0xcf, 0xc0, 0xde], text: 'ﾔﾏﾀﾞ' },
]

describe('single-byte character sets', () => {
  it.each(SINGLE_BYTE_NAMES)('ISO_IR $ir without code extensions', ({ ir, encoded, text }) => {
    expect(decodeDicomText(Uint8Array.from(encoded), `ISO_IR ${ir}`, 'LO')).toBe(text)
  })

  it.each(SINGLE_BYTE_NAMES)('ISO 2022 IR $ir as a code extension after ASCII', ({ ir, escape, encoded, text }) => {
    const value = bytes('ASCII+', [ESC], escape, encoded)
    expect(decodeDicomText(value, `\\ISO 2022 IR ${ir}`, 'LO')).toBe(`ASCII+${text}`)
  })

  it('reads JIS X 0201 katakana designated with ESC ) I, which iso-2022-jp decoders refuse', () => {
    const value = bytes([ESC], ')I', [0xd4, 0xcf, 0xc0, 0xde], '^', [ESC], ')I', [0xc0, 0xdb, 0xb3])
    expect(decodeDicomText(value, 'ISO 2022 IR 6\\ISO 2022 IR 13', 'PN')).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ')
  })

  it('reads JIS X 0201 Roman YEN SIGN and OVERLINE in text, but 0x5C still separates values', () => {
    expect(decodeDicomText(bytes('100', [0x5c, 0x7e]), 'ISO_IR 13', 'LT')).toBe('100¥‾')
    expect(decodeDicomText(bytes('A\\B'), 'ISO_IR 13', 'LO')).toBe('A\\B')
  })

  it('keeps the windows-1252 reading of 0x80-0x9F that files labelled Latin-1 rely on', () => {
    expect(decodeDicomText(Uint8Array.of(0x80, 0x20, 0x93, 0x4f, 0x4b, 0x94), 'ISO_IR 100', 'LO')).toBe('€ “OK”')
  })
})

describe('multi-byte character sets', () => {
  it('JIS X 0212 (ISO 2022 IR 159) next to JIS X 0208 in one name', () => {
    const value = hex(`
      4D 6F 72 69 5E 4F 67 61 69 3D 1B 24 42 3F 39 1B 28 42 5E 1B 24 28 44 6C 3F 1B 24 42 33 30 1B 28 42 3D
      1B 24 42 24 62 24 6A 1B 28 42 5E 1B 24 42 24 2A 24 26 24 2C 24 24 1B 28 42`)
    expect(decodeDicomText(value, 'ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159', 'PN')).toBe('Mori^Ogai=森^鷗外=もり^おうがい')
  })

  it('reads delimiter bytes inside a two-byte G0 character as half of the character', () => {
    // JIS X 0208 3D 5E and 5C 3D are 殉 and 椽: neither "^" nor "\" nor "=" may split them
    const value = bytes([ESC], '$B', [0x3d, 0x5e, 0x5c, 0x3d], [ESC], '(B', '^A')
    expect(decodeDicomText(value, '\\ISO 2022 IR 87', 'PN')).toBe('殉椽^A')
  })

  it('GBK and GB18030 four-byte sequences', () => {
    expect(decodeDicomText(hex('C3 ED BD 6E'), 'GBK', 'LO')).toBe('庙絥')
    expect(decodeDicomText(hex('81 30 8A 30 FE 5F'), 'GB18030', 'LO')).toBe('ã㥮')
  })

  it('UTF-8 takes no code extensions: other values are ignored', () => {
    expect(decodeDicomText(hex('42 75 63 5E 4A C3 A9 72 C3 B4 6D 65'), 'ISO_IR 192\\ISO 2022 IR 100', 'PN')).toBe('Buc^Jérôme')
  })
})

describe('switching and resetting character sets', () => {
  const greekThenLatin = (delimiter: string) => bytes([ESC], '-F', [0xc4], delimiter, [0xe9])

  it('returns to value 1 after a backslash in multi-valued strings, not in text', () => {
    expect(decodeDicomText(greekThenLatin('\\'), 'ISO 2022 IR 100\\ISO 2022 IR 126', 'LO')).toBe('Δ\\é')
    expect(decodeDicomText(greekThenLatin('\\'), 'ISO 2022 IR 100\\ISO 2022 IR 126', 'LT')).toBe('Δ\\ι')
  })

  it('returns to value 1 after "^" and "=" only in person names', () => {
    expect(decodeDicomText(greekThenLatin('^'), 'ISO 2022 IR 100\\ISO 2022 IR 126', 'PN')).toBe('Δ^é')
    expect(decodeDicomText(greekThenLatin('='), 'ISO 2022 IR 100\\ISO 2022 IR 126', 'PN')).toBe('Δ=é')
    expect(decodeDicomText(greekThenLatin('^'), 'ISO 2022 IR 100\\ISO 2022 IR 126', 'LO')).toBe('Δ^ι')
  })

  it('returns to value 1 after CR, LF, FF and TAB', () => {
    for (const control of ['\r', '\n', '\f', '\t']) {
      expect(decodeDicomText(greekThenLatin(control), 'ISO 2022 IR 100\\ISO 2022 IR 126', 'LT')).toBe(`Δ${control}é`)
    }
  })

  it('lets each PN component group switch on its own (single-byte sets)', () => {
    const value = bytes('Dionysios=', [ESC], '-F', [0xc4, 0xe9, 0xef, 0xed, 0xf5, 0xf3, 0xe9, 0xef, 0xf2])
    expect(decodeDicomText(value, 'ISO 2022 IR 100\\ISO 2022 IR 126', 'PN')).toBe('Dionysios=Διονυσιος')
  })

  it('decodes multiple values each in its own character set', () => {
    const value = bytes(
      'Buc^J', [0xe9], 'r', [0xf4], 'me\\',
      [ESC], '-F', [0xc4, 0xe9, 0xef, 0xed, 0xf5, 0xf3, 0xe9, 0xef, 0xf2], '\\',
      [ESC], '-L', [0xbb, 0xee, 0xda, 0x63, 0x65, 0xdc, 0xd1, 0x79, 0x70, 0xd3],
    )
    expect(decodeDicomText(value, 'ISO 2022 IR 100\\ISO 2022 IR 144\\ISO 2022 IR 126', 'PN').split('\\')).toEqual([
      'Buc^Jérôme',
      'Διονυσιος',
      'Люкceмбypг',
    ])
  })

  it('a value without escape sequences reads in value 1', () => {
    expect(decodeDicomText(bytes('R', [0xf6], 'ntgenaufnahme'), 'ISO 2022 IR 100\\ISO 2022 IR 144', 'LO')).toBe('Röntgenaufnahme')
  })
})

describe('reading sloppy files', () => {
  it('accepts misspelt defined terms', () => {
    const jerome = hex('42 75 63 5E 4A E9 72 F4 6D 65')
    expect(decodeDicomText(jerome, 'ISO-IR 100', 'PN')).toBe('Buc^Jérôme')
    expect(decodeDicomText(jerome, 'iso_ir_100 ', 'PN')).toBe('Buc^Jérôme')
    expect(decodeDicomText(hex('42 75 63 5E 4A C3 A9 72 C3 B4 6D 65'), 'ISO IR 192', 'PN')).toBe('Buc^Jérôme')
    const greek = bytes('Dionysios=', [ESC], '-F', [0xc4, 0xe9, 0xef])
    expect(decodeDicomText(greek, 'ISO_2022-IR 100\\ISO_2022_IR+126', 'PN')).toBe('Dionysios=Διο')
  })

  it('reads an empty or unknown Specific Character Set as the default repertoire, high bytes as windows-1252', () => {
    expect(decodeDicomText(bytes('DOE^J1'), '', 'PN')).toBe('DOE^J1')
    expect(decodeDicomText(hex('4D FC 6C 6C 65 72'), 'NOT A CHARSET', 'PN')).toBe('Müller')
  })

  it('keeps using the last G1 set when a writer leaves out the escape after a delimiter', () => {
    const katakana = bytes([ESC], ')I', [0xd4, 0xcf, 0xc0, 0xde], '^', [0xc0, 0xdb, 0xb3])
    expect(decodeDicomText(katakana, '\\ISO 2022 IR 13', 'PN')).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ')
    const korean = bytes('Hong^Gildong=', [ESC], '$)C', [0xfb, 0xf3], '^', [0xd1, 0xce, 0xd4, 0xd7])
    expect(decodeDicomText(korean, '\\ISO 2022 IR 149', 'PN')).toBe('Hong^Gildong=洪^吉洞')
  })

  it('reads high bytes with no escape at all in the first G1 set the attribute names', () => {
    expect(decodeDicomText(hex('B1 E8 C8 F1 C1 DF'), 'ISO 2022 IR 149', 'PN')).toBe('김희중')
    expect(decodeDicomText(hex('D5 C5 5E D0 A1 B6 AB'), '\\ISO 2022 IR 58', 'PN')).toBe('张^小东')
  })

  it('marks an unknown escape sequence, a lone byte of a two-byte set and a trailing ESC, and carries on', () => {
    expect(decodeDicomText(bytes('ab', [ESC], '%Gcd'), '\\ISO 2022 IR 87', 'LO')).toBe('ab\ufffd%Gcd')
    expect(decodeDicomText(bytes([ESC], '$B', [0x3b, 0x33, 0x45], [ESC], '(BX'), '\\ISO 2022 IR 87', 'PN')).toBe('山\ufffdX')
    expect(decodeDicomText(bytes('abc', [ESC]), '\\ISO 2022 IR 87', 'LO')).toBe('abc\ufffd')
  })

  it('never throws, whatever the bytes', () => {
    const charsets = [
      '', 'ISO_IR 100', 'ISO_IR 13', 'ISO_IR 166', 'ISO_IR 192', 'GB18030', 'GBK', '\\ISO 2022 IR 87',
      'ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159', '\\ISO 2022 IR 149', '\\ISO 2022 IR 58\\ISO 2022 IR 126',
    ]
    // a fixed linear congruential sequence, biased towards ESC and the delimiters, so the run is repeatable
    let seed = 12345
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16
    const interesting = [ESC, 0x24, 0x28, 0x29, 0x2d, 0x42, 0x4a, 0x49, 0x5c, 0x5e, 0x3d, 0x0d]
    for (let n = 0; n < 2000; n++) {
      const value = Uint8Array.from({ length: next() % 40 }, () => (next() % 3 === 0 ? interesting[next() % interesting.length]! : next() % 256))
      for (const charset of charsets) {
        for (const vr of ['PN', 'LO', 'LT']) {
          const text = decodeDicomText(value, charset, vr)
          expect(typeof text).toBe('string')
        }
      }
    }
  })

  it('gives the same decoder for the same Specific Character Set', () => {
    expect(textDecoderFor('\\ISO 2022 IR 87')).toBe(textDecoderFor('\\ISO 2022 IR 87'))
    expect(textDecoderFor('ISO_IR 192')(new TextEncoder().encode('山田^太郎'))).toBe('山田^太郎')
  })
})
