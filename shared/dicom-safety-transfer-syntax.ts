/**
 * Transfer syntaxes by UID (PS3.6 Table A-1): how the data set is encoded, whether pixel data
 * is encapsulated, and whether the workstation's viewer can show it. "Supported" means the
 * viewer's decoders are proven on it by the transfer-syntax matrix (test/e2e); any other is
 * refused by name before anything is allocated for it.
 */

export interface TransferSyntax {
  uid: string
  name: string
  /** How the data set's elements are written. */
  encoding: 'implicit-little' | 'explicit-little' | 'explicit-big'
  /** The data set after the File Meta Information is one raw deflate stream. */
  deflated: boolean
  /** Pixel Data is a sequence of fragments (compressed frames). */
  encapsulated: boolean
  supported: boolean
}

type Row = [uid: string, name: string, kind: 'implicit' | 'explicit' | 'big' | 'deflated' | 'encapsulated', supported: boolean]

const ROWS: Row[] = [
  ['1.2.840.10008.1.2', 'Implicit VR Little Endian', 'implicit', true],
  ['1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'explicit', true],
  ['1.2.840.10008.1.2.1.98', 'Encapsulated Uncompressed Explicit VR Little Endian', 'encapsulated', false],
  ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', 'deflated', true],
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian', 'big', true],
  ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'encapsulated', true],
  ['1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'encapsulated', true],
  ['1.2.840.10008.1.2.4.52', 'JPEG Extended (Process 3 & 5)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.53', 'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.54', 'JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.55', 'JPEG Full Progression, Non-Hierarchical (Process 10 & 12)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.56', 'JPEG Full Progression, Non-Hierarchical (Process 11 & 13)', 'encapsulated', false],
  // the same lossless decoder as Process 14 SV1, which the matrix proves
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'encapsulated', true],
  ['1.2.840.10008.1.2.4.58', 'JPEG Lossless, Non-Hierarchical (Process 15)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.59', 'JPEG Extended, Hierarchical (Process 16 & 18)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.60', 'JPEG Extended, Hierarchical (Process 17 & 19)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.61', 'JPEG Spectral Selection, Hierarchical (Process 20 & 22)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.62', 'JPEG Spectral Selection, Hierarchical (Process 21 & 23)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.63', 'JPEG Full Progression, Hierarchical (Process 24 & 26)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.64', 'JPEG Full Progression, Hierarchical (Process 25 & 27)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.65', 'JPEG Lossless, Hierarchical (Process 28)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.66', 'JPEG Lossless, Hierarchical (Process 29)', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)', 'encapsulated', true],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'encapsulated', true],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless', 'encapsulated', true],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless', 'encapsulated', true],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000', 'encapsulated', true],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component Lossless', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.94', 'JPIP Referenced', 'explicit', false],
  ['1.2.840.10008.1.2.4.95', 'JPIP Referenced Deflate', 'deflated', false],
  ['1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile / Main Level', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.101', 'MPEG2 Main Profile / High Level', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 High Profile / Level 4.1', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.107', 'HEVC/H.265 Main Profile / Level 5.1', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.108', 'HEVC/H.265 Main 10 Profile / Level 5.1', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.110', 'JPEG XL Lossless', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.111', 'JPEG XL JPEG Recompression', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.112', 'JPEG XL', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 Lossless', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options Lossless', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000', 'encapsulated', false],
  ['1.2.840.10008.1.2.4.204', 'JPIP HTJ2K Referenced', 'explicit', false],
  ['1.2.840.10008.1.2.4.205', 'JPIP HTJ2K Referenced Deflate', 'deflated', false],
  ['1.2.840.10008.1.2.5', 'RLE Lossless', 'encapsulated', true],
  ['1.2.840.10008.1.2.6.1', 'RFC 2557 MIME encapsulation', 'explicit', false],
  ['1.2.840.10008.1.2.6.2', 'XML Encoding', 'explicit', false],
  ['1.2.840.10008.1.2.7.1', 'SMPTE ST 2110-20 Uncompressed Progressive Active Video', 'explicit', false],
  ['1.2.840.10008.1.2.7.2', 'SMPTE ST 2110-20 Uncompressed Interlaced Active Video', 'explicit', false],
  ['1.2.840.10008.1.2.7.3', 'SMPTE ST 2110-30 PCM Digital Audio', 'explicit', false],
  ['1.2.840.10008.1.2.8.1', 'Deflated Image Frame Compression', 'encapsulated', false],
  ['1.2.840.10008.1.20', 'Papyrus 3 Implicit VR Little Endian', 'implicit', false],
]

const BY_UID = new Map<string, TransferSyntax>(
  ROWS.map(([uid, name, kind, supported]) => [
    uid,
    {
      uid,
      name,
      encoding: kind === 'implicit' ? 'implicit-little' : kind === 'big' ? 'explicit-big' : 'explicit-little',
      deflated: kind === 'deflated',
      encapsulated: kind === 'encapsulated',
      supported,
    },
  ]),
)

/** The transfer syntax of a UID, or undefined for a UID the standard does not list. */
export function transferSyntaxOf(uid: string): TransferSyntax | undefined {
  return BY_UID.get(uid)
}

/** "JPEG XL (1.2.840.10008.1.2.4.112)", or the bare UID when it is unknown. */
export function transferSyntaxLabel(uid: string): string {
  const known = BY_UID.get(uid)
  return known ? `${known.name} (${uid})` : uid
}
