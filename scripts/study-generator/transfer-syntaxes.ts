/**
 * The transfer syntaxes the generator knows by name. Every one it writes encodes the data set
 * as explicit VR little endian; the compressed ones (JPEG-LS, JPEG 2000) differ only in
 * carrying the pixel data encapsulated, in fragments.
 */

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2'
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5'
/** JPEG-LS lossless (written by DCMTK's dcmcjpls, not by this writer). */
export const JPEG_LS_LOSSLESS = '1.2.840.10008.1.2.4.80'
/** JPEG 2000 Image Compression (Lossless Only): a reversible 5/3 wavelet codestream per frame. */
export const JPEG_2000_LOSSLESS = '1.2.840.10008.1.2.4.90'
/** JPEG baseline through JPEG 2000, JPEG-LS and HTJ2K all sit under this arc. */
const ENCAPSULATED_JPEG_FAMILY_PREFIX = '1.2.840.10008.1.2.4.'

/** The transfer syntaxes the Part-10 writer can produce: uncompressed, and JPEG 2000 with frames it is handed already encoded. */
export type WritableTransferSyntaxUid = typeof EXPLICIT_VR_LITTLE_ENDIAN | typeof JPEG_2000_LOSSLESS

/** True for the syntaxes whose Pixel Data is encapsulated (fragments of compressed frames). */
export function isEncapsulated(transferSyntaxUid: string): boolean {
  return transferSyntaxUid === RLE_LOSSLESS || transferSyntaxUid.startsWith(ENCAPSULATED_JPEG_FAMILY_PREFIX)
}

/**
 * True for the syntaxes whose data set is explicit VR little endian (the uncompressed one and
 * the encapsulated JPEG and RLE families), so unchanged elements can be copied byte for byte.
 */
export function encodesExplicitLittleEndian(transferSyntaxUid: string): boolean {
  return transferSyntaxUid === EXPLICIT_VR_LITTLE_ENDIAN || isEncapsulated(transferSyntaxUid)
}
