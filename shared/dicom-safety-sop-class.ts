/**
 * SOP classes that never hold an image to show in a stack (PS3.4 Annex B): structured reports
 * and key object selections, presentation states, waveforms, encapsulated documents, RT
 * plans and structure sets, registrations, segmentations… The viewer skips them silently;
 * they are not errors.
 */

/** Every SOP class whose UID starts with one of these (followed by a dot or nothing) is not an image. */
const NON_IMAGE_ROOTS = [
  // Structured reports of every kind, Key Object Selection (88.59), CAD SR, dose reports
  '1.2.840.10008.5.1.4.1.1.88',
  // Presentation states (grayscale, colour, pseudo-colour, blending, XA/XRF, volumetric…)
  '1.2.840.10008.5.1.4.1.1.11',
  // Waveforms (ECG, hemodynamic, audio, respiratory…)
  '1.2.840.10008.5.1.4.1.1.9',
  // Encapsulated PDF, CDA, STL, OBJ, MTL
  '1.2.840.10008.5.1.4.1.1.104',
  // Raw data, spatial registration and fiducials, segmentation, surface segmentation, tractography
  '1.2.840.10008.5.1.4.1.1.66',
  // Real world value mapping, measurements, surface scans
  '1.2.840.10008.5.1.4.1.1.67',
  '1.2.840.10008.5.1.4.1.1.68',
  // Stereometric relationship, lensometry, refraction and other ophthalmic measurements
  '1.2.840.10008.5.1.4.1.1.77.1.5.3',
  '1.2.840.10008.5.1.4.1.1.78',
  '1.2.840.10008.5.1.4.1.1.79',
  '1.2.840.10008.5.1.4.1.1.80',
  '1.2.840.10008.5.1.4.1.1.81',
  '1.2.840.10008.5.1.4.1.1.82',
  // Hanging protocols, color palettes, implant templates, protocols
  '1.2.840.10008.5.1.4.38',
  '1.2.840.10008.5.1.4.39',
  '1.2.840.10008.5.1.4.43',
  '1.2.840.10008.5.1.4.44',
  '1.2.840.10008.5.1.4.45',
  '1.2.840.10008.5.1.4.1.1.200',
  // Media Storage Directory (DICOMDIR)
  '1.2.840.10008.1.3.10',
]

/** RT objects that are not images: everything under 481 except RT Image (481.1) and RT Dose (481.2). */
const RT_ROOT = '1.2.840.10008.5.1.4.1.1.481'
const RT_IMAGES = new Set(['1.2.840.10008.5.1.4.1.1.481.1', '1.2.840.10008.5.1.4.1.1.481.2'])

const under = (uid: string, root: string) => uid === root || uid.startsWith(`${root}.`)

/** True for a SOP class that never holds an image for the viewer; false for image classes and for an empty or unknown UID. */
export function isNonImageSopClass(sopClassUid: string): boolean {
  const uid = sopClassUid.replace(/[\0 ]+$/, '')
  if (under(uid, RT_ROOT)) return !RT_IMAGES.has(uid)
  return NON_IMAGE_ROOTS.some((root) => under(uid, root))
}
