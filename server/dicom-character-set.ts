/**
 * Text decoding by Specific Character Set (0008,0005), PS3.3 C.12.1.1.2 and PS3.5 6.1.
 *
 * UTF-8, GB18030 and GBK decode a value whole. Every other defined term is a set of ISO 2022
 * code elements: value 1 is active at the start of each value, escape sequences designate other
 * sets into G0 or G1 as the text goes, and value 1 becomes active again after CR, LF, FF and TAB,
 * after the backslash between values, and in person names after "^" and "=" (PS3.5 6.1.2.5.3),
 * so each PN component group may use its own character sets.
 *
 * Reading is lenient where writers are known to be sloppy: misspelt terms ("ISO-IR 100",
 * "ISO_IR192"), escape sequences the Specific Character Set did not declare, and high bytes
 * with no G1 set designated (the last G1 set the value used, else the first one the attribute
 * names, else windows-1252) are all decoded rather than refused.
 */
import type { TextDecoder } from 'node:util'
import {
  ARABIC,
  ASCII,
  CYRILLIC,
  designationAt,
  GB_2312,
  GREEK,
  HEBREW,
  JIS_X_0201_KATAKANA,
  JIS_X_0201_ROMAN,
  JIS_X_0208,
  JIS_X_0212,
  KS_X_1001,
  LATIN_1,
  LATIN_2,
  LATIN_3,
  LATIN_4,
  LATIN_5,
  LATIN_9,
  platformDecoder,
  THAI,
  type CodeElement,
} from './iso-2022-code-elements.ts'

/** Decodes the bytes of one element; `vr` decides which delimiters reset the character set (default: a multi-valued string such as LO). */
export type TextDecodeFn = (bytes: Uint8Array, vr?: string) => string

/** The code elements a defined term brings: its G0 set and its G1 set, if any. */
interface CodeElements {
  g0: CodeElement
  g1?: CodeElement
}

// Keyed by the IR number of "ISO_IR n" and "ISO 2022 IR n" alike: with code extensions or not,
// the bytes of a value mean the same once its escape sequences are honoured.
const ELEMENTS_BY_IR: Readonly<Record<string, CodeElements>> = {
  '6': { g0: ASCII },
  '100': { g0: ASCII, g1: LATIN_1 },
  '101': { g0: ASCII, g1: LATIN_2 },
  '109': { g0: ASCII, g1: LATIN_3 },
  '110': { g0: ASCII, g1: LATIN_4 },
  '144': { g0: ASCII, g1: CYRILLIC },
  '127': { g0: ASCII, g1: ARABIC },
  '126': { g0: ASCII, g1: GREEK },
  '138': { g0: ASCII, g1: HEBREW },
  '148': { g0: ASCII, g1: LATIN_5 },
  '203': { g0: ASCII, g1: LATIN_9 },
  '166': { g0: ASCII, g1: THAI },
  '13': { g0: JIS_X_0201_ROMAN, g1: JIS_X_0201_KATAKANA },
  '87': { g0: JIS_X_0208 },
  '159': { g0: JIS_X_0212 },
  '149': { g0: ASCII, g1: KS_X_1001 },
  '58': { g0: ASCII, g1: GB_2312 },
}

// Multi-byte encodings without code extensions (table C.12-5); other values next to them are ignored.
const WHOLE_VALUE_ENCODINGS: Readonly<Record<string, string>> = {
  IR192: 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
}

type Scheme =
  | { kind: 'whole'; decoder: TextDecoder }
  | { kind: 'iso2022'; initialG0: CodeElement; initialG1: CodeElement | undefined; fallbackG1: CodeElement }

/** "ISO_IR 100", "ISO 2022 IR 100", "ISO-IR 100", "iso_ir_100" all give "IR100"; "GB18030" stays. */
function termKey(term: string): string {
  const compact = term.toUpperCase().replace(/[^0-9A-Z]/g, '')
  const ir = /^ISO(?:2022)?IR(\d+)$/.exec(compact)
  return ir ? `IR${ir[1]}` : compact
}

function elementsOf(key: string): CodeElements | undefined {
  return key.startsWith('IR') ? ELEMENTS_BY_IR[key.slice(2)] : undefined
}

function schemeFor(specificCharacterSet: string): Scheme {
  const keys = specificCharacterSet.split('\\').map((t) => termKey(t.trim()))
  const whole = WHOLE_VALUE_ENCODINGS[keys[0] ?? '']
  if (whole) return { kind: 'whole', decoder: platformDecoder(whole) }
  // An empty or unknown value 1 means the default repertoire (PS3.3 C.12.1.1.2).
  const first = elementsOf(keys[0] ?? '') ?? ELEMENTS_BY_IR['6']!
  // Multi-byte sets are never active by default: they are reached only by their escape sequences.
  const initialG0 = first.g0.bytesPerCharacter === 1 ? first.g0 : ASCII
  const initialG1 = first.g1 && first.g1.bytesPerCharacter === 1 ? first.g1 : undefined
  const fallbackG1 = keys.map(elementsOf).find((e) => e?.g1)?.g1 ?? LATIN_1
  return { kind: 'iso2022', initialG0, initialG1, fallbackG1 }
}

const TAB = 0x09
const LF = 0x0a
const FF = 0x0c
const CR = 0x0d
const ESC = 0x1b
const SPACE = 0x20
const BACKSLASH = 0x5c
const CARET = 0x5e
const EQUALS = 0x3d
const DEL = 0x7f

const RESETTING_CONTROLS = new Set([TAB, LF, FF, CR])
// The text VRs that hold a single value, in which a backslash is text rather than a delimiter.
const SINGLE_VALUED_VRS = new Set(['ST', 'LT', 'UT', 'UR'])

/** The printable bytes that end a value or a name component and so reset the character set, for this VR. */
function delimitersFor(vr: string | undefined): ReadonlySet<number> {
  const delimiters = new Set<number>()
  if (!SINGLE_VALUED_VRS.has(vr ?? '')) delimiters.add(BACKSLASH)
  if (vr === 'PN') {
    delimiters.add(CARET)
    delimiters.add(EQUALS)
  }
  return delimiters
}

function decodeIso2022(bytes: Uint8Array, scheme: Extract<Scheme, { kind: 'iso2022' }>, vr: string | undefined): string {
  const delimiters = delimitersFor(vr)
  let g0 = scheme.initialG0
  let g1 = scheme.initialG1
  let lastG1: CodeElement | undefined
  let text = ''
  // A run of consecutive bytes in one code element, decoded together (two-byte sets need their pairs).
  let runStart = 0
  let runElement: CodeElement | undefined
  const endRun = (end: number) => {
    if (runElement && end > runStart) text += runElement.decode(bytes.subarray(runStart, end))
    runElement = undefined
  }
  const reset = () => {
    g0 = scheme.initialG0
    g1 = scheme.initialG1
  }

  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i]!
    if (byte === ESC) {
      endRun(i)
      const designation = designationAt(bytes, i)
      if (designation?.register === 'G0') g0 = designation.element
      else if (designation) g1 = lastG1 = designation.element
      else text += '\ufffd'
      i += designation?.length ?? 1
      continue
    }
    // Controls and SPACE belong to no graphic set; in a two-byte G0 set every other GL byte is half a character.
    const single = byte < SPACE || byte === DEL || byte === SPACE || (byte < 0x80 && g0.bytesPerCharacter === 1 && delimiters.has(byte))
    if (single) {
      endRun(i)
      text += String.fromCharCode(byte)
      if (byte !== SPACE && (RESETTING_CONTROLS.has(byte) || delimiters.has(byte))) reset()
      i++
      continue
    }
    const element = byte < 0x80 ? g0 : (g1 ?? lastG1 ?? scheme.fallbackG1)
    if (element !== runElement) {
      endRun(i)
      runStart = i
      runElement = element
    }
    i++
  }
  endRun(bytes.length)
  return text
}

/** The text of one element's bytes in a dataset whose Specific Character Set is `specificCharacterSet`. */
export function decodeDicomText(bytes: Uint8Array, specificCharacterSet: string, vr?: string): string {
  return textDecoderFor(specificCharacterSet)(bytes, vr)
}

const decoderCache = new Map<string, TextDecodeFn>()
// Every file may spell its character set its own way; the cache must not grow with them.
const DECODER_CACHE_LIMIT = 64

/** A decoder for text values (SH, LO, ST, LT, UT, UC, PN) of a dataset with this character set. */
export function textDecoderFor(specificCharacterSet: string): TextDecodeFn {
  let decode = decoderCache.get(specificCharacterSet)
  if (!decode) {
    const scheme = schemeFor(specificCharacterSet)
    decode = scheme.kind === 'whole' ? (bytes) => scheme.decoder.decode(bytes) : (bytes, vr) => decodeIso2022(bytes, scheme, vr)
    if (decoderCache.size >= DECODER_CACHE_LIMIT) decoderCache.clear()
    decoderCache.set(specificCharacterSet, decode)
  }
  return decode
}
