/**
 * The transfer syntaxes the generator knows by name. Every one it writes encodes the data set
 * as explicit VR little endian; the compressed ones still to come (JPEG-LS, JPEG 2000) differ
 * only in carrying the pixel data encapsulated, in fragments.
 */

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2'
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5'
/** JPEG baseline through JPEG 2000, JPEG-LS and HTJ2K all sit under this arc. */
const ENCAPSULATED_JPEG_FAMILY_PREFIX = '1.2.840.10008.1.2.4.'

/** The transfer syntaxes the Part-10 writer can produce; adding JPEG-LS means adding its UID here and encapsulated pixel data to the writer. */
export type WritableTransferSyntaxUid = typeof EXPLICIT_VR_LITTLE_ENDIAN

/**
 * True for the syntaxes whose data set is explicit VR little endian (the uncompressed one and
 * the encapsulated JPEG and RLE families), so unchanged elements can be copied byte for byte.
 */
export function encodesExplicitLittleEndian(transferSyntaxUid: string): boolean {
  return (
    transferSyntaxUid === EXPLICIT_VR_LITTLE_ENDIAN ||
    transferSyntaxUid === RLE_LOSSLESS ||
    transferSyntaxUid.startsWith(ENCAPSULATED_JPEG_FAMILY_PREFIX)
  )
}
