/**
 * Text decoding by Specific Character Set (0008,0005), roughly: each defined term maps to the
 * closest WHATWG encoding. ISO 2022 code extensions are handled only as far as the
 * iso-2022-jp decoder goes (JIS X 0208 via ESC $ B); full ISO 2022 switching is a later issue.
 */
import { TextDecoder } from 'node:util'

export type TextDecodeFn = (bytes: Uint8Array) => string

// Single-byte and multi-byte terms without code extensions (PS3.3 C.12.1.1.2, tables C.12-2/-3/-4/-5).
const ENCODING_BY_TERM: Record<string, string> = {
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
  'ISO 2022 IR 6': 'latin1',
  'ISO 2022 IR 100': 'latin1',
  'ISO 2022 IR 13': 'shift_jis',
  'ISO 2022 IR 87': 'iso-2022-jp',
  'ISO 2022 IR 159': 'iso-2022-jp',
  'ISO 2022 IR 149': 'euc-kr',
  'ISO 2022 IR 58': 'gbk',
}

/** The WHATWG encoding label used for a Specific Character Set value (possibly multi-valued, backslash-separated). */
export function encodingForCharacterSet(specificCharacterSet: string): string {
  const terms = specificCharacterSet
    .split('\\')
    // "ISO-IR 100" is a common misspelling in the wild (the US demo file has it)
    .map((t) => t.trim().toUpperCase().replace(/^ISO-IR/, 'ISO_IR'))
    .filter((t) => t.length > 0)
  // Multi-byte code extensions decide the decoder: a Japanese header is "ISO 2022 IR 6\ISO 2022 IR 87".
  for (const term of terms) {
    if (term === 'ISO 2022 IR 87' || term === 'ISO 2022 IR 159') return 'iso-2022-jp'
    if (term === 'ISO 2022 IR 149') return 'euc-kr'
    if (term === 'ISO 2022 IR 58') return 'gbk'
  }
  return ENCODING_BY_TERM[terms[0] ?? ''] ?? 'latin1'
}

const decoders = new Map<string, TextDecoder>()

/** A decoder for text values (SH, LO, ST, LT, UT, UC, PN) of a dataset with this character set. */
export function textDecoderFor(specificCharacterSet: string): TextDecodeFn {
  const encoding = encodingForCharacterSet(specificCharacterSet)
  let decoder = decoders.get(encoding)
  if (!decoder) {
    try {
      decoder = new TextDecoder(encoding)
    } catch {
      // Node built without full ICU lacks the CJK decoders: fall back to latin1 rather than fail the file.
      decoder = new TextDecoder('latin1')
    }
    decoders.set(encoding, decoder)
  }
  const chosen = decoder
  return (bytes) => chosen.decode(bytes)
}
