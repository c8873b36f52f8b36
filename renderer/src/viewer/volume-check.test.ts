import { describe, expect, it } from 'vitest'
import type { ImageAttributes } from '../repositories/image-attributes.ts'
import { checkVolume, type VolumeCheckInstance } from './volume-check.ts'

const CT = '1.2.840.10008.5.1.4.1.1.2'
const AXIAL: [number, number, number, number, number, number] = [1, 0, 0, 0, 1, 0]

/** An axial CT slice at height z, like the phantom's (512×512, 0.45 mm pixels). */
function slice(n: number, z: number, changes: Partial<ImageAttributes> = {}, instance: Partial<VolumeCheckInstance> = {}): VolumeCheckInstance {
  return {
    sopInstanceUid: `1.2.3.${n}`,
    sopClassUid: CT,
    instanceNumber: n,
    numberOfFrames: 1,
    attributes: {
      rows: 512,
      columns: 512,
      photometricInterpretation: 'MONOCHROME2',
      imagePositionPatient: [-115.5, -1.85, z],
      imageOrientationPatient: AXIAL,
      pixelSpacing: [0.451171875, 0.451171875],
      sliceThickness: 5,
      frameOfReferenceUid: '1.2.3.99',
      gantryTilt: 0,
      ...changes,
    },
    ...instance,
  }
}

/** The phantom's geometry: 28 slices, 5 mm apart, from z = 696.21. */
function phantom(count = 28, spacing = 5): VolumeCheckInstance[] {
  return Array.from({ length: count }, (_, i) => slice(i + 1, Number((696.21 + i * spacing).toFixed(2))))
}

function refusal(instances: readonly VolumeCheckInstance[]) {
  const check = checkVolume(instances)
  if (check.ok) throw new Error(`expected a refusal, got a volume with spacing ${check.sliceSpacing}`)
  return check
}

describe('checkVolume', () => {
  it('accepts the phantom and measures its slice spacing', () => {
    const check = checkVolume(phantom())
    expect(check.ok).toBe(true)
    expect(check.ok && check.sliceSpacing).toBeCloseTo(5, 6)
  })

  it('accepts slices in any order, and coronal slices whose positions carry rounding noise (the MR wrist)', () => {
    expect(checkVolume(phantom().reverse())).toMatchObject({ ok: true })
    const ys = [-5.992188, -3.992186, -1.992184, 0.007818, 2.00782, 4.007822, 6.007824, 8.007826, 10.007828, 12.007828, 14.007828, 16.007828, 18.007843, 20.007843, 22.007843, 24.007843]
    const wrist = ys.map((y, i) =>
      slice(i + 1, 0, { rows: 256, columns: 256, imagePositionPatient: [65.359375, y, 23.554688], imageOrientationPatient: [1, 0, 0, 0, 0, -1], pixelSpacing: [0.234375, 0.234375] }, { sopClassUid: '1.2.840.10008.5.1.4.1.1.4' }),
    )
    const check = checkVolume(wrist)
    expect(check.ok && check.sliceSpacing).toBeCloseTo(2, 3)
  })

  it('refuses fewer than three slices (the CT scout is one image)', () => {
    const check = refusal([slice(1, 0)])
    expect(check.reason).toBe('too-few-slices')
    expect(check.detail).toBe('The series has 1 image; a volume needs at least 3 slices.')
    expect(refusal(phantom(2)).reason).toBe('too-few-slices')
    expect(checkVolume(phantom(3)).ok).toBe(true)
  })

  it('refuses multi-frame instances, saying how many frames', () => {
    const cine = [slice(1, 0, {}, { numberOfFrames: 8 })]
    const check = refusal(cine)
    expect(check.reason).toBe('multi-frame')
    expect(check.detail).toContain('8 frames')
  })

  it('refuses images that are not cross-sectional (ultrasound, radiographs)', () => {
    const us = refusal([slice(1, 0, {}, { sopClassUid: '1.2.840.10008.5.1.4.1.1.3.1', numberOfFrames: 8 })])
    expect(us.reason).toBe('not-cross-sectional')
    expect(us.detail).toContain('1.2.840.10008.5.1.4.1.1.3.1')
  })

  it('refuses images without geometry, and says when the attributes were never indexed', () => {
    const noPosition = phantom()
    noPosition[4] = slice(5, 716.21, { imagePositionPatient: undefined })
    const check = refusal(noPosition)
    expect(check.reason).toBe('no-geometry')
    expect(check.detail).toBe('1 of 28 images lack a usable position, orientation, pixel spacing or size, e.g. image 5.')

    const old = phantom().map(({ attributes: _, ...rest }) => rest)
    const unknown = refusal(old)
    expect(unknown.reason).toBe('no-geometry')
    expect(unknown.detail).toContain('28 of 28 images have no indexed attributes')

    const degenerate = phantom()
    degenerate[0] = slice(1, 696.21, { imageOrientationPatient: [1, 0, 0, 1, 0, 0] })
    expect(refusal(degenerate).reason).toBe('no-geometry')
  })

  it('refuses mixed image sizes and pixel spacings', () => {
    const sizes = phantom()
    sizes[10] = slice(11, 746.21, { rows: 256, columns: 256 })
    const check = refusal(sizes)
    expect(check.reason).toBe('mixed-size')
    expect(check.detail).toBe('Image 1 is 512×512 pixels but image 11 is 256×256.')

    const spacing = phantom()
    spacing[3] = slice(4, 711.21, { pixelSpacing: [0.5, 0.5] })
    expect(refusal(spacing).reason).toBe('mixed-size')
  })

  it('refuses mixed orientations beyond half a degree, with the angle', () => {
    const turned = phantom()
    const a = (12 * Math.PI) / 180
    turned[7] = slice(8, 731.21, { imageOrientationPatient: [Math.cos(a), Math.sin(a), 0, -Math.sin(a), Math.cos(a), 0] })
    const check = refusal(turned)
    expect(check.reason).toBe('mixed-orientation')
    expect(check.detail).toContain('Image 8 is turned 12°')

    const nearly = phantom()
    const b = (0.2 * Math.PI) / 180
    nearly[7] = slice(8, 731.21, { imageOrientationPatient: [Math.cos(b), Math.sin(b), 0, -Math.sin(b), Math.cos(b), 0] })
    expect(checkVolume(nearly).ok).toBe(true)

    const otherFrame = phantom()
    otherFrame[2] = slice(3, 706.21, { frameOfReferenceUid: '9.9.9' })
    expect(refusal(otherFrame).reason).toBe('mixed-orientation')
  })

  it('refuses a gantry tilt, from the tag or from slices stepping sideways', () => {
    const tagged = phantom().map((s) => ({ ...s, attributes: { ...s.attributes!, gantryTilt: -15 } }))
    const check = refusal(tagged)
    expect(check.reason).toBe('gantry-tilt')
    expect(check.detail).toBe('Image 1 was acquired with a gantry tilt of -15°.')

    // tilted 15° but the tag left at 0: each 5 mm step also moves 1.34 mm in y
    const sheared = phantom().map((s, i) => slice(s.instanceNumber, 696.21 + i * 5, { imagePositionPatient: [-115.5, -1.85 + i * 5 * Math.tan((15 * Math.PI) / 180), 696.21 + i * 5] }))
    const shear = refusal(sheared)
    expect(shear.reason).toBe('gantry-tilt')
    expect(shear.detail).toContain('sheared by 15°')
  })

  it('refuses uneven spacing (a missing slice, a thinner run, two images at one place), with the gaps', () => {
    const gap = phantom().filter((s) => s.instanceNumber !== 14)
    const check = refusal(gap)
    expect(check.reason).toBe('uneven-spacing')
    expect(check.detail).toMatch(/^Slice gaps range from 5 mm to 10 mm/)
    expect(check.detail).toContain('images 13 and 15 are 10 mm apart')

    const duplicate = [...phantom(), slice(29, 761.21)]
    const same = refusal(duplicate)
    expect(same.reason).toBe('uneven-spacing')
    expect(same.detail).toContain('same position')

    // 1% of 5 mm is 0.05 mm: a slice 0.04 mm off passes, 0.2 mm off does not
    const slightly = phantom()
    slightly[5] = slice(6, 721.25)
    expect(checkVolume(slightly).ok).toBe(true)
    const clearly = phantom()
    clearly[5] = slice(6, 721.41)
    expect(refusal(clearly).reason).toBe('uneven-spacing')
  })
})
