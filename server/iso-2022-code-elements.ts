/**
 * The graphic character sets DICOM designates with ISO 2022 escape sequences (PS3.3 C.12.1.1.2,
 * tables C.12-3 and C.12-4), each able to turn a run of its bytes into text, and the escape
 * sequences that put them into G0 (bytes 0x21-0x7E) or G1 (bytes 0xA1-0xFE).
 *
 * The byte-to-character tables come from the platform's TextDecoder (Node's full ICU), reached
 * the way each set is embedded in an 8-bit encoding: the ISO 8859 parts by their own labels,
 * JIS X 0208 and 0212 through EUC-JP, KS X 1001 through EUC-KR, GB 2312 through GB18030.
 */
import { TextDecoder } from 'node:util'

export interface CodeElement {
  /** The ISO-IR registration, e.g. "ISO-IR 87" (shown in tests and messages). */
  readonly name: string
  readonly bytesPerCharacter: 1 | 2
  /** Text for a run of bytes stored in this set, as they appear in the value (GL or GR). */
  decode(run: Uint8Array): string
}

export type Register = 'G0' | 'G1'

const decoders = new Map<string, TextDecoder>()

/** A shared non-fatal decoder; Node without full ICU lacks the CJK ones, and then bytes read as windows-1252. */
export function platformDecoder(label: string): TextDecoder {
  let decoder = decoders.get(label)
  if (!decoder) {
    try {
      decoder = new TextDecoder(label)
    } catch {
      decoder = new TextDecoder('latin1')
    }
    decoders.set(label, decoder)
  }
  return decoder
}

function mapBytes(run: Uint8Array, charFor: (byte: number) => string): string {
  let text = ''
  for (const byte of run) text += charFor(byte)
  return text
}

/** ISO-IR 6, the default repertoire (ASCII). */
export const ASCII: CodeElement = {
  name: 'ISO-IR 6',
  bytesPerCharacter: 1,
  decode: (run) => mapBytes(run, (b) => String.fromCharCode(b)),
}

/**
 * ISO-IR 14, JIS X 0201 Roman: ASCII except YEN SIGN at 0x5C and OVERLINE at 0x7E. Where 0x5C
 * delimits values it never reaches this set: the decoder emits it as the backslash it stands for.
 */
export const JIS_X_0201_ROMAN: CodeElement = {
  name: 'ISO-IR 14',
  bytesPerCharacter: 1,
  decode: (run) => mapBytes(run, (b) => (b === 0x5c ? '\u00a5' : b === 0x7e ? '\u203e' : String.fromCharCode(b))),
}

/** ISO-IR 13, JIS X 0201 Katakana in G1: half-width katakana at 0xA1-0xDF (U+FF61-U+FF9F). */
export const JIS_X_0201_KATAKANA: CodeElement = {
  name: 'ISO-IR 13',
  bytesPerCharacter: 1,
  decode: (run) => mapBytes(run, (b) => (b >= 0xa1 && b <= 0xdf ? String.fromCharCode(0xff61 + b - 0xa1) : '\ufffd')),
}

/**
 * A 96-character set in G1: the upper half of an 8-bit single-byte encoding. The WHATWG tables
 * (windows-1252 for "latin1", windows-1254 for ISO 8859-9, windows-874 for TIS 620) also give
 * 0x80-0x9F a meaning, which files mislabelled as Latin-1 rely on.
 */
function upperHalf(name: string, label: string): CodeElement {
  return { name, bytesPerCharacter: 1, decode: (run) => platformDecoder(label).decode(run) }
}

export const LATIN_1 = upperHalf('ISO-IR 100', 'latin1')
export const LATIN_2 = upperHalf('ISO-IR 101', 'iso-8859-2')
export const LATIN_3 = upperHalf('ISO-IR 109', 'iso-8859-3')
export const LATIN_4 = upperHalf('ISO-IR 110', 'iso-8859-4')
export const CYRILLIC = upperHalf('ISO-IR 144', 'iso-8859-5')
export const ARABIC = upperHalf('ISO-IR 127', 'iso-8859-6')
export const GREEK = upperHalf('ISO-IR 126', 'iso-8859-7')
export const HEBREW = upperHalf('ISO-IR 138', 'iso-8859-8')
export const LATIN_5 = upperHalf('ISO-IR 148', 'iso-8859-9')
export const LATIN_9 = upperHalf('ISO-IR 203', 'iso-8859-15')
export const THAI = upperHalf('ISO-IR 166', 'windows-874')

/** ISO-IR 87, JIS X 0208 kanji in G0: byte pairs 0x21-0x7E, which EUC-JP stores with the high bit set. */
export const JIS_X_0208: CodeElement = {
  name: 'ISO-IR 87',
  bytesPerCharacter: 2,
  decode: (run) => platformDecoder('euc-jp').decode(run.map((b) => b | 0x80)),
}

/** ISO-IR 159, JIS X 0212 supplementary kanji in G0: EUC-JP stores each pair after the single shift 0x8F. */
export const JIS_X_0212: CodeElement = {
  name: 'ISO-IR 159',
  bytesPerCharacter: 2,
  decode(run) {
    const euc = new Uint8Array(run.length + Math.ceil(run.length / 2))
    let n = 0
    run.forEach((b, i) => {
      if (i % 2 === 0) euc[n++] = 0x8f
      euc[n++] = b | 0x80
    })
    return platformDecoder('euc-jp').decode(euc)
  },
}

/** ISO-IR 149, KS X 1001 (Hangul and hanja) in G1: byte pairs 0xA1-0xFE, exactly as EUC-KR. */
export const KS_X_1001: CodeElement = {
  name: 'ISO-IR 149',
  bytesPerCharacter: 2,
  decode: (run) => platformDecoder('euc-kr').decode(run),
}

/** ISO-IR 58, GB 2312 in G1: byte pairs 0xA1-0xFE, the two-byte core of GB18030. */
export const GB_2312: CodeElement = {
  name: 'ISO-IR 58',
  bytesPerCharacter: 2,
  decode: (run) => platformDecoder('gb18030').decode(run),
}

export interface Designation {
  register: Register
  element: CodeElement
  /** Bytes of the escape sequence, ESC included. */
  length: number
}

const ESC = 0x1b
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0))

// The bytes after ESC, per table C.12-3/-4. "ESC $ @" (JIS C 6226-1978) is not DICOM, but
// iso-2022-jp writers emit it for the same kanji, so it is read as JIS X 0208.
const ESCAPE_SEQUENCES: ReadonlyArray<{ bytes: number[]; register: Register; element: CodeElement }> = [
  { bytes: ascii('(B'), register: 'G0', element: ASCII },
  { bytes: ascii('(J'), register: 'G0', element: JIS_X_0201_ROMAN },
  { bytes: ascii(')I'), register: 'G1', element: JIS_X_0201_KATAKANA },
  { bytes: ascii('-A'), register: 'G1', element: LATIN_1 },
  { bytes: ascii('-B'), register: 'G1', element: LATIN_2 },
  { bytes: ascii('-C'), register: 'G1', element: LATIN_3 },
  { bytes: ascii('-D'), register: 'G1', element: LATIN_4 },
  { bytes: ascii('-L'), register: 'G1', element: CYRILLIC },
  { bytes: ascii('-G'), register: 'G1', element: ARABIC },
  { bytes: ascii('-F'), register: 'G1', element: GREEK },
  { bytes: ascii('-H'), register: 'G1', element: HEBREW },
  { bytes: ascii('-M'), register: 'G1', element: LATIN_5 },
  { bytes: ascii('-b'), register: 'G1', element: LATIN_9 },
  { bytes: ascii('-T'), register: 'G1', element: THAI },
  { bytes: ascii('$B'), register: 'G0', element: JIS_X_0208 },
  { bytes: ascii('$@'), register: 'G0', element: JIS_X_0208 },
  { bytes: ascii('$(D'), register: 'G0', element: JIS_X_0212 },
  { bytes: ascii('$)C'), register: 'G1', element: KS_X_1001 },
  { bytes: ascii('$)A'), register: 'G1', element: GB_2312 },
]

/** The designation made by the escape sequence starting at `offset` (an ESC byte), or undefined if it is not one DICOM knows. */
export function designationAt(bytes: Uint8Array, offset: number): Designation | undefined {
  if (bytes[offset] !== ESC) return undefined
  for (const sequence of ESCAPE_SEQUENCES) {
    if (sequence.bytes.every((b, i) => bytes[offset + 1 + i] === b)) {
      return { register: sequence.register, element: sequence.element, length: sequence.bytes.length + 1 }
    }
  }
  return undefined
}
