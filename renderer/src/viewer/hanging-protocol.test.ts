import { describe, expect, it } from 'vitest'
import type { CachedInstance } from '../cache/workstation-db.ts'
import type { ImageAttributes } from '../repositories/image-attributes.ts'
import type { SeriesWithInstances } from '../repositories/study-repository.ts'
import { planHanging, type HangingCell, type StudyForHanging, type ViewportAssignment } from './hanging-protocol.ts'

const PLANES = {
  axial: [1, 0, 0, 0, 1, 0],
  coronal: [1, 0, 0, 0, 0, -1],
  sagittal: [0, 1, 0, 0, 0, -1],
} as const

const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2'
const MG_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.2'
const MG_PROCESSING = '1.2.840.10008.5.1.4.1.1.1.2.1'

interface SeriesSpec {
  number: number
  modality: string
  description?: string
  images?: number
  plane?: keyof typeof PLANES
  thickness?: number
  bodyPart?: string
  attributes?: Partial<ImageAttributes>
  frames?: number
  sopClassUid?: string
  /** Leave the attributes out, as an instance indexed by an older version has none. */
  noAttributes?: boolean
}

/** A study whose UIDs say what they are: `<study>.s<series>` and `<study>.s<series>.i<n>`. */
function study(uid: string, date: string, specs: SeriesSpec[], time?: string): StudyForHanging {
  const series = specs.map((spec): SeriesWithInstances => {
    const seriesUid = `${uid}.s${spec.number}`
    const instances = Array.from({ length: spec.images ?? 1 }, (_, i): CachedInstance => {
      const attributes: ImageAttributes = {
        rows: 512,
        columns: 512,
        photometricInterpretation: 'MONOCHROME2',
        bodyPartExamined: spec.bodyPart ?? '',
        ...(spec.plane ? { imageOrientationPatient: [...PLANES[spec.plane]] as ImageAttributes['imageOrientationPatient'], imagePositionPatient: [0, 0, i * (spec.thickness ?? 1)] } : {}),
        ...(spec.thickness !== undefined ? { sliceThickness: spec.thickness } : {}),
        ...spec.attributes,
      }
      return {
        sopInstanceUid: `${seriesUid}.i${i + 1}`,
        seriesInstanceUid: seriesUid,
        studyInstanceUid: uid,
        sopClassUid: spec.sopClassUid ?? CT_IMAGE,
        instanceNumber: i + 1,
        sortKey: i,
        numberOfFrames: spec.frames ?? 1,
        byteLength: 1,
        ...(spec.noAttributes ? {} : { attributes }),
      }
    })
    return {
      series: { seriesInstanceUid: seriesUid, studyInstanceUid: uid, modality: spec.modality, seriesNumber: spec.number, description: spec.description ?? '', instanceCount: instances.length },
      instances,
    }
  })
  return { studyInstanceUid: uid, studyDate: date, ...(time ? { studyTime: time } : {}), series }
}

/** A study of single images, one series, each image with its own attributes. */
function imagesStudy(uid: string, date: string, modality: string, images: Partial<ImageAttributes & { sopClassUid: string; instanceNumber: number }>[], description = ''): StudyForHanging {
  const seriesUid = `${uid}.s1`
  const instances = images.map(({ sopClassUid, instanceNumber, ...attributes }, i): CachedInstance => ({
    sopInstanceUid: `${seriesUid}.i${i + 1}`,
    seriesInstanceUid: seriesUid,
    studyInstanceUid: uid,
    sopClassUid: sopClassUid ?? MG_PRESENTATION,
    instanceNumber: instanceNumber ?? i + 1,
    sortKey: instanceNumber ?? i + 1,
    numberOfFrames: 1,
    byteLength: 1,
    attributes: { rows: 100, columns: 80, photometricInterpretation: 'MONOCHROME2', ...attributes },
  }))
  return {
    studyInstanceUid: uid,
    studyDate: date,
    series: [{ series: { seriesInstanceUid: seriesUid, studyInstanceUid: uid, modality, seriesNumber: 1, description, instanceCount: instances.length }, instances }],
  }
}

const assigned = (cell: HangingCell | undefined): ViewportAssignment => {
  if (!cell || 'empty' in cell) throw new Error(`expected an assigned viewport, got ${JSON.stringify(cell)}`)
  return cell
}

const headCt = (uid: string, date: string, extra: SeriesSpec[] = []) =>
  study(uid, date, [
    { number: 1, modality: 'CT', description: 'SCOUT', images: 2, plane: 'coronal', bodyPart: 'HEAD' },
    { number: 2, modality: 'CT', description: 'AX 5mm STD', images: 30, plane: 'axial', thickness: 5, bodyPart: 'HEAD' },
    ...extra,
  ])

describe('hanging protocols: CT and MR', () => {
  const current = study('cur', '20250301', [
    { number: 1, modality: 'CT', description: 'SCOUT', images: 2, plane: 'coronal', bodyPart: 'HEAD' },
    { number: 2, modality: 'CT', description: 'AX 5mm STD', images: 30, plane: 'axial', thickness: 5, bodyPart: 'HEAD' },
    { number: 3, modality: 'CT', description: 'AX 0.625 STD', images: 200, plane: 'axial', thickness: 0.625, bodyPart: 'HEAD' },
    // more images than any axial series, but not the plane a reader starts with
    { number: 4, modality: 'CT', description: 'COR MPR', images: 250, plane: 'coronal', thickness: 0.625, bodyPart: 'HEAD' },
    { number: 99, modality: 'SR', description: 'Dose report' },
  ])

  it('hangs the main current series beside the best matching series of the most recent relevant prior, synchronised', () => {
    const prior = study('prior-2023', '20230110', [
      { number: 1, modality: 'CT', description: 'Topogram', images: 1, plane: 'sagittal', bodyPart: 'BRAIN' },
      { number: 2, modality: 'CT', description: 'AX 5mm', images: 32, plane: 'axial', thickness: 5, bodyPart: 'BRAIN' },
      { number: 3, modality: 'CT', description: 'AX 0.6mm thin', images: 180, plane: 'axial', thickness: 0.6, bodyPart: 'BRAIN' },
      { number: 4, modality: 'CT', description: 'COR 0.625 STD', images: 240, plane: 'coronal', thickness: 0.625, bodyPart: 'BRAIN' },
    ])
    const older = headCt('prior-2019', '20190501')
    const later = headCt('later', '20250601')
    const plan = planHanging(current, [older, later, prior])
    expect(plan.protocolId).toBe('ct-mr-compare')
    expect(plan.pages).toEqual([
      {
        layout: '1x2',
        viewports: [
          { studyInstanceUid: 'cur', seriesInstanceUid: 'cur.s3', role: 'current' },
          { studyInstanceUid: 'prior-2023', seriesInstanceUid: 'prior-2023.s3', role: 'prior' },
        ],
      },
    ])
    expect(plan.synchronise).toEqual({ scroll: true, voi: true, zoom: true })
    expect(plan.flicker).toBe(false)
  })

  it('prefers a prior series in the same plane over a better-named one in another plane', () => {
    const prior = study('p', '20240101', [
      { number: 1, modality: 'CT', description: 'AX 0.625 STD', images: 200, plane: 'coronal', thickness: 0.625, bodyPart: 'HEAD' },
      { number: 2, modality: 'CT', description: 'Head routine', images: 40, plane: 'axial', thickness: 3, bodyPart: 'HEAD' },
    ])
    expect(assigned(planHanging(current, [prior]).pages[0]!.viewports[1]).seriesInstanceUid).toBe('p.s2')
  })

  it('hangs the current study alone when there is no prior', () => {
    const plan = planHanging(current, [])
    expect(plan.protocolId).toBe('ct-mr-single')
    expect(plan.pages).toEqual([{ layout: '1x1', viewports: [{ studyInstanceUid: 'cur', seriesInstanceUid: 'cur.s3', role: 'current' }] }])
    expect(plan.synchronise).toEqual({ scroll: false, voi: false, zoom: false })
  })

  it('does not compare a CT with an MR prior', () => {
    const mrPrior = study('mr', '20240101', [{ number: 1, modality: 'MR', description: 'AX T2', images: 24, plane: 'axial', thickness: 5, bodyPart: 'HEAD' }])
    expect(planHanging(current, [mrPrior]).protocolId).toBe('ct-mr-single')
  })

  it('skips a prior of another body part for an older one of the same, and accepts a prior whose body part is unknown', () => {
    const chest = study('chest', '20241201', [{ number: 1, modality: 'CT', description: 'AX 5mm STD', images: 60, plane: 'axial', thickness: 5, bodyPart: 'CHEST' }])
    const head = study('head', '20200101', [{ number: 2, modality: 'CT', description: 'AX 5mm STD', images: 30, plane: 'axial', thickness: 5, bodyPart: 'HEAD' }])
    const plan = planHanging(current, [chest, head])
    expect(plan.protocolId).toBe('ct-mr-compare')
    expect(assigned(plan.pages[0]!.viewports[1]).studyInstanceUid).toBe('head')

    const unknown = study('unknown', '20210101', [{ number: 2, modality: 'CT', description: 'AX 5mm STD', images: 30, plane: 'axial', thickness: 5 }])
    expect(assigned(planHanging(current, [chest, unknown]).pages[0]!.viewports[1]).studyInstanceUid).toBe('unknown')
  })

  it('orders priors by date and time, and never treats the current study itself as its prior', () => {
    const morning = headCt('morning', '20250301', [])
    const earlierSameDay = { ...headCt('early', '20250301'), studyTime: '081500' }
    const laterSameDay = { ...headCt('late', '20250301'), studyTime: '235900' }
    const currentTimed = { ...current, studyTime: '120000' }
    const plan = planHanging(currentTimed, [currentTimed, laterSameDay, earlierSameDay, { ...morning, studyDate: '20240301' }])
    expect(assigned(plan.pages[0]!.viewports[1]).studyInstanceUid).toBe('early')
  })

  it('compares dates written the old way (YYYY.MM.DD) with DICOM dates', () => {
    const plan = planHanging(current, [headCt('dotted-newer', '2025.06.01'), headCt('dotted-older', '2024.12.01'), headCt('plain', '20240601')])
    expect(assigned(plan.pages[0]!.viewports[1]).studyInstanceUid).toBe('dotted-older')
  })

  it('hangs MR against an MR prior, axial first', () => {
    const mr = (uid: string, date: string) =>
      study(uid, date, [
        { number: 1, modality: 'MR', description: '3-plane localizer', images: 9, plane: 'sagittal' },
        { number: 2, modality: 'MR', description: 'SAG T2', images: 40, plane: 'sagittal', thickness: 3 },
        { number: 3, modality: 'MR', description: 'AX T2 FLAIR', images: 24, plane: 'axial', thickness: 5 },
      ])
    const plan = planHanging(mr('mr-now', '20250101'), [mr('mr-then', '20240101')])
    expect(plan.protocolId).toBe('ct-mr-compare')
    expect(plan.pages[0]!.viewports.map((v) => assigned(v).seriesInstanceUid)).toEqual(['mr-now.s3', 'mr-then.s3'])
  })

  it('passes over a localizer whose images lie in three planes, whatever its description', () => {
    const mr = study('tri', '20250101', [
      { number: 1, modality: 'MR', description: '3 plane', images: 3, plane: 'axial' },
      { number: 2, modality: 'MR', description: 'SAG T1', images: 20, plane: 'sagittal' },
    ])
    const [first, second, third] = mr.series[0]!.instances
    second!.attributes!.imageOrientationPatient = [...PLANES.coronal]
    third!.attributes!.imageOrientationPatient = [...PLANES.sagittal]
    expect(assigned(planHanging(mr, []).pages[0]!.viewports[0]).seriesInstanceUid).toBe('tri.s2')
    // the same series with its images in one plane is an ordinary axial series, preferred to a sagittal one
    second!.attributes!.imageOrientationPatient = third!.attributes!.imageOrientationPatient = first!.attributes!.imageOrientationPatient
    expect(assigned(planHanging(mr, []).pages[0]!.viewports[0]).seriesInstanceUid).toBe('tri.s1')
  })

  it('still hangs a CT indexed before attributes were kept (by slice count)', () => {
    const old = study('old', '20250101', [
      { number: 1, modality: 'CT', description: 'scout', images: 2, noAttributes: true },
      { number: 2, modality: 'CT', description: 'Body 5mm', images: 50, noAttributes: true },
      { number: 3, modality: 'CT', description: 'Lung 1mm', images: 250, noAttributes: true },
    ])
    const plan = planHanging(old, [])
    expect(plan.protocolId).toBe('ct-mr-single')
    expect(assigned(plan.pages[0]!.viewports[0]).seriesInstanceUid).toBe('old.s3')
  })
})

describe('hanging protocols: chest radiographs', () => {
  it('hangs the current frontal chest beside the prior frontal chest, ready to flicker', () => {
    const current = imagesStudy('cr-now', '20250301', 'CR', [
      { bodyPartExamined: 'CHEST', viewPosition: 'LL' },
      { bodyPartExamined: 'CHEST', viewPosition: 'PA' },
    ])
    const prior = imagesStudy('dx-then', '20240301', 'DX', [
      { bodyPartExamined: 'THORAX', viewPosition: 'AP' },
      { bodyPartExamined: 'THORAX', viewPosition: 'PA' },
      { bodyPartExamined: 'THORAX', viewPosition: 'LL' },
    ])
    const hand = imagesStudy('hand', '20241001', 'CR', [{ bodyPartExamined: 'HAND', viewPosition: 'PA' }])
    const plan = planHanging(current, [hand, prior])
    expect(plan.protocolId).toBe('chest-compare')
    expect(plan.flicker).toBe(true)
    expect(plan.pages).toEqual([
      {
        layout: '1x2',
        viewports: [
          { studyInstanceUid: 'cr-now', seriesInstanceUid: 'cr-now.s1', sopInstanceUid: 'cr-now.s1.i2', role: 'current' },
          { studyInstanceUid: 'dx-then', seriesInstanceUid: 'dx-then.s1', sopInstanceUid: 'dx-then.s1.i2', role: 'prior' },
        ],
      },
    ])
  })

  it('compares a portable AP chest with the prior AP rather than the prior PA', () => {
    const current = imagesStudy('ap-now', '20250301', 'DX', [{ bodyPartExamined: 'CHEST', viewPosition: 'AP' }])
    const prior = imagesStudy('then', '20240301', 'DX', [
      { bodyPartExamined: 'CHEST', viewPosition: 'PA' },
      { bodyPartExamined: 'CHEST', viewPosition: 'AP' },
    ])
    expect(assigned(planHanging(current, [prior]).pages[0]!.viewports[1]).sopInstanceUid).toBe('then.s1.i2')
  })

  it('takes a radiograph without a body part, or described as a chest, for a chest; hangs it alone without a prior', () => {
    const unnamed = imagesStudy('unnamed', '20250301', 'CR', [{}])
    expect(planHanging(unnamed, [])).toMatchObject({ protocolId: 'chest-single', flicker: false, pages: [{ layout: '1x1', viewports: [{ seriesInstanceUid: 'unnamed.s1', role: 'current' }] }] })
    const described = imagesStudy('described', '20250301', 'DX', [{ bodyPartExamined: 'UNKNOWN' }], '胸部正面')
    const prior = imagesStudy('prior', '20240301', 'CR', [{ bodyPartExamined: '胸部' }])
    expect(planHanging(described, [prior]).protocolId).toBe('chest-compare')
  })

  it('does not hang a hand radiograph as a chest, nor compare a chest with a hand', () => {
    const hand = imagesStudy('hand', '20250301', 'CR', [{ bodyPartExamined: 'HAND' }])
    expect(planHanging(hand, []).protocolId).toBe('default')
    const chest = imagesStudy('chest', '20250301', 'CR', [{ bodyPartExamined: 'CHEST', viewPosition: 'PA' }])
    expect(planHanging(chest, [{ ...hand, studyDate: '20240101' }]).protocolId).toBe('chest-single')
  })
})

describe('hanging protocols: mammography', () => {
  const fourView = (uid: string, date: string, orientations: Partial<Record<'RCC' | 'LCC' | 'RMLO' | 'LMLO', [string, string] | undefined>>) =>
    imagesStudy(
      uid,
      date,
      'MG',
      (['RCC', 'LCC', 'RMLO', 'LMLO'] as const)
        .filter((view) => view in orientations)
        .map((view) => ({
          laterality: view[0] as 'R' | 'L',
          viewPosition: view.slice(1),
          bodyPartExamined: 'BREAST',
          ...(orientations[view] ? { patientOrientation: orientations[view] } : {}),
        })),
    )

  it('hangs the four views back to back, mirrored so that chest walls meet in the middle, with the prior four-view on page 2', () => {
    const current = fourView('mg-now', '20250301', { RCC: ['A', 'L'], LCC: ['A', 'R'], RMLO: ['P', 'F'], LMLO: ['P', 'F'] })
    const prior = fourView('mg-then', '20230301', { RCC: ['P', 'L'], LCC: ['P', 'R'], RMLO: ['P', 'F'], LMLO: undefined })
    const older = fourView('mg-older', '20210301', { RCC: ['P', 'L'] })
    const plan = planHanging(current, [older, prior])
    expect(plan.protocolId).toBe('mammo-four-view')
    expect(plan.flicker).toBe(false)
    expect(plan.pages).toHaveLength(2)
    const [page1, page2] = plan.pages
    expect(page1!.layout).toBe('2x2')
    expect(page1!.viewports).toEqual([
      { studyInstanceUid: 'mg-now', seriesInstanceUid: 'mg-now.s1', sopInstanceUid: 'mg-now.s1.i1', role: 'current', label: 'RCC', flipHorizontal: true, chestWallEdge: 'right' },
      { studyInstanceUid: 'mg-now', seriesInstanceUid: 'mg-now.s1', sopInstanceUid: 'mg-now.s1.i2', role: 'current', label: 'LCC', flipHorizontal: false, chestWallEdge: 'left' },
      { studyInstanceUid: 'mg-now', seriesInstanceUid: 'mg-now.s1', sopInstanceUid: 'mg-now.s1.i3', role: 'current', label: 'RMLO', flipHorizontal: false, chestWallEdge: 'right' },
      { studyInstanceUid: 'mg-now', seriesInstanceUid: 'mg-now.s1', sopInstanceUid: 'mg-now.s1.i4', role: 'current', label: 'LMLO', flipHorizontal: true, chestWallEdge: 'left' },
    ])
    expect(page2!.layout).toBe('2x2')
    expect(page2!.viewports.map((v) => assigned(v).studyInstanceUid)).toEqual(['mg-then', 'mg-then', 'mg-then', 'mg-then'])
    expect(page2!.viewports.map((v) => [v.role, v.label, assigned(v).flipHorizontal])).toEqual([
      ['prior', 'RCC', false],
      ['prior', 'LCC', true],
      ['prior', 'RMLO', false],
      ['prior', 'LMLO', false],
    ])
    // no Patient Orientation: shown as stored, and the viewport says why
    expect(assigned(page2!.viewports[3]).orientationProblem).toBe('no-patient-orientation')
    expect(assigned(page1!.viewports[0]).orientationProblem).toBeUndefined()
  })

  it('keeps the cell of a missing view, empty and labelled, and has no second page without a prior', () => {
    const current = fourView('mg', '20250301', { RCC: ['P', 'L'], LCC: ['A', 'R'], RMLO: ['P', 'F'] })
    const plan = planHanging(current, [])
    expect(plan.pages).toHaveLength(1)
    expect(plan.pages[0]!.viewports).toHaveLength(4)
    expect(plan.pages[0]!.viewports[3]).toEqual({ empty: true, role: 'current', label: 'LMLO', chestWallEdge: 'left' })
    expect(plan.pages[0]!.viewports.slice(0, 3).map((v) => assigned(v).label)).toEqual(['RCC', 'LCC', 'RMLO'])
  })

  it('recognises views on any modality from laterality and view position, including sides written into the view', () => {
    // like MG1 of the NEMA WG04 set: modality RG, Laterality L, View Position MLO
    const rg = imagesStudy('rg', '20250301', 'RG', [
      { laterality: 'L', viewPosition: 'MLO', patientOrientation: ['A', 'F'] },
      { viewPosition: 'RCC', patientOrientation: ['P', 'L'] },
    ])
    const plan = planHanging(rg, [])
    expect(plan.protocolId).toBe('mammo-four-view')
    expect(plan.pages[0]!.viewports.map((v) => ('empty' in v ? `(${v.label})` : `${v.label}:${v.flipHorizontal}`))).toEqual(['RCC:false', '(LCC)', '(RMLO)', 'LMLO:false'])
  })

  it('shows the image for presentation, and the retake of a repeated view', () => {
    const mg = imagesStudy('mg', '20250301', 'MG', [
      { laterality: 'R', viewPosition: 'CC', patientOrientation: ['P', 'L'], sopClassUid: MG_PRESENTATION, instanceNumber: 1 },
      { laterality: 'R', viewPosition: 'CC', patientOrientation: ['P', 'L'], sopClassUid: MG_PRESENTATION, instanceNumber: 5 },
      { laterality: 'R', viewPosition: 'CC', patientOrientation: ['P', 'L'], sopClassUid: MG_PROCESSING, instanceNumber: 9 },
    ])
    expect(assigned(planHanging(mg, []).pages[0]!.viewports[0]).sopInstanceUid).toBe('mg.s1.i2')
  })

  it('falls back to the first series for a mammography study without any of the four views', () => {
    const specimen = imagesStudy('spec', '20250301', 'MG', [{ laterality: 'R', viewPosition: 'SPECIMEN' }])
    expect(planHanging(specimen, []).protocolId).toBe('default')
  })
})

describe('hanging protocols: ultrasound and the rest', () => {
  it('plays the first ultrasound clip in cine', () => {
    const us = study('us', '20250301', [
      { number: 1, modality: 'US', description: 'Liver', images: 3 },
      { number: 2, modality: 'US', description: 'Heart', images: 2, frames: 10 },
    ])
    expect(planHanging(us, [])).toEqual({
      protocolId: 'us-cine',
      pages: [{ layout: '1x1', viewports: [{ studyInstanceUid: 'us', seriesInstanceUid: 'us.s2', sopInstanceUid: 'us.s2.i1', role: 'current', cine: true }] }],
      synchronise: { scroll: false, voi: false, zoom: false },
      flicker: false,
    })
  })

  it('shows still ultrasound, and anything unknown, from the first series with images', () => {
    const stills = study('still', '20250301', [{ number: 1, modality: 'US', images: 5 }])
    expect(planHanging(stills, [])).toMatchObject({ protocolId: 'default', pages: [{ layout: '1x1', viewports: [{ seriesInstanceUid: 'still.s1' }] }] })
    const unknown = study('xa', '20250301', [
      { number: 1, modality: 'SR', description: 'report' },
      { number: 2, modality: 'XA', images: 3 },
    ])
    expect(planHanging(unknown, [])).toMatchObject({ protocolId: 'default', pages: [{ layout: '1x1', viewports: [{ seriesInstanceUid: 'xa.s2' }] }] })
  })

  it('hangs an empty study as an empty page instead of failing', () => {
    expect(planHanging({ studyInstanceUid: 'none', studyDate: '', series: [] }, [])).toEqual({
      protocolId: 'default',
      pages: [{ layout: '1x1', viewports: [] }],
      synchronise: { scroll: false, voi: false, zoom: false },
      flicker: false,
    })
  })
})

describe('hanging protocols: the reader preferences', () => {
  const current = headCt('cur', '20250301')
  const prior = headCt('prior', '20240301')

  it('override the layout and synchronisation of their protocol only', () => {
    const plan = planHanging(current, [prior], { 'ct-mr-compare': { layout: '2x1', synchronise: { zoom: false } }, 'ct-mr-single': { layout: '2x2' } })
    expect(plan.pages.map((p) => [p.layout, p.viewports.length])).toEqual([['2x1', 2]])
    expect(plan.synchronise).toEqual({ scroll: true, voi: true, zoom: false })
    expect(planHanging(current, [], { 'ct-mr-compare': { layout: '2x1' } }).pages[0]!.layout).toBe('1x1')
  })

  it('spread the cells over more pages when the chosen layout has fewer cells', () => {
    const plan = planHanging(current, [prior], { 'ct-mr-compare': { layout: '1x1' } })
    expect(plan.pages.map((p) => p.viewports.map((v) => v.role))).toEqual([['current'], ['prior']])
    expect(plan.pages.map((p) => p.layout)).toEqual(['1x1', '1x1'])
  })

  it('ignore a layout that no longer exists', () => {
    const plan = planHanging(current, [prior], { 'ct-mr-compare': { layout: '3x3' as never } })
    expect(plan.pages.map((p) => p.layout)).toEqual(['1x2'])
  })
})
