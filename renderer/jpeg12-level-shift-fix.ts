/**
 * A build-time correction to Cornerstone's JPEG decoder for 12-bit lossy JPEG (Extended,
 * 1.2.840.10008.1.2.4.51), whose level shift is wrong.
 *
 * The decoder (@cornerstonejs/dicom-image-loader 5.14, codecs/jpeg.js) undoes the DCT level
 * shift with the 8-bit constant 2056 (= 128 × 16 + 8) divided by `bitConversion` (255 / 4095),
 * i.e. 33,017 instead of 2048 × 16 + 8 = 32,776: every 12-bit sample comes out 15 too high
 * (pydicom's JPGExtended.dcm: 259 where pydicom, GDCM and DCMTK decode 244), and the clamps
 * are off by as much. The replacement derives the constants from the sample range and is the
 * original arithmetic for 8-bit data (2056, 2024, 255).
 *
 * The transform fails the build when the code it replaces is no longer there: a new
 * Cornerstone release has to be checked (the transfer-syntax e2e test does) before the
 * correction is dropped or adapted.
 */
import type { Plugin } from 'vite'

const DECODER = /@cornerstonejs[\\/]dicom-image-loader[\\/]dist[\\/]esm[\\/]codecs[\\/]jpeg\.js$/
/** The level shift and clamping of one 8×8 block's samples, whitespace-tolerant. */
const BROKEN_LEVEL_SHIFT =
  /q\s*=\s*q\s*<=\s*-2056\s*\/\s*component\.bitConversion\s*\?\s*0\s*:\s*q\s*>=\s*2024\s*\/\s*component\.bitConversion\s*\?\s*255\s*\/\s*component\.bitConversion\s*:\s*\(q\s*\+\s*2056\s*\/\s*component\.bitConversion\)\s*>>\s*4\s*;/
const FIXED_LEVEL_SHIFT =
  'var maxSample = Math.round(255 / component.bitConversion), levelShift = ((maxSample + 1) << 3) + 8; ' +
  'q = q <= -levelShift ? 0 : q >= (maxSample << 4) - levelShift ? maxSample : (q + levelShift) >> 4;'

/** Rewrites the decoder's level shift (in the app bundle and in the decode worker's). */
export function jpeg12LevelShiftFix(): Plugin {
  return {
    name: 'workstation-jpeg12-level-shift-fix',
    transform(code, id) {
      if (!DECODER.test(id.split('?')[0] ?? '')) return undefined
      if (!BROKEN_LEVEL_SHIFT.test(code)) this.error(`${id}: the 12-bit JPEG level shift this build corrects is gone; check the transfer-syntax e2e test and drop or adapt renderer/jpeg12-level-shift-fix.ts`)
      return { code: code.replace(BROKEN_LEVEL_SHIFT, FIXED_LEVEL_SHIFT), map: null }
    },
  }
}
