/**
 * The real CT slices a generated series is derived from: every file of one folder, checked to
 * be one uncompressed single-frame greyscale series with a common pixel format and rescale,
 * in InstanceNumber order.
 */
import { endianness } from 'node:os'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { formatTag, readNumbers, readText, readUnsignedShort, type DataElement } from './data-element.ts'
import { Tags } from './dicom-tags.ts'
import { readPart10 } from './part10-reader.ts'
import type { PixelArray } from './slice-interpolation.ts'
import type { SourceSliceGeometry } from './slice-geometry.ts'
import { EXPLICIT_VR_LITTLE_ENDIAN } from './transfer-syntaxes.ts'

export interface CtSourceSlice extends SourceSliceGeometry {
  file: string
  instanceNumber: number
  /** Top-level elements of the source file, to copy from. */
  dataset: Map<number, DataElement>
  pixels: PixelArray
}

export interface CtSourceSeries {
  dir: string
  rows: number
  columns: number
  signed: boolean
  orientation: number[]
  slices: CtSourceSlice[]
}

/** Loads and checks every file in `dir` (about 15 MB for the phantom: small enough to hold). */
export async function loadCtSourceSeries(dir: string): Promise<CtSourceSeries> {
  if (endianness() !== 'LE') throw new Error('the study generator reads pixel data as native little-endian words')
  const names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name)
  if (names.length < 2) throw new Error(`${dir} holds ${names.length} files; a source series needs at least 2 slices`)
  const slices = await Promise.all(names.map((name) => loadSlice(path.join(dir, name))))
  slices.sort((a, b) => a.instanceNumber - b.instanceNumber)

  const first = slices[0]
  if (!first) throw new Error(`${dir} holds no slices`)
  const reference = describeFormat(first.dataset, first.file)
  for (const slice of slices) {
    const format = describeFormat(slice.dataset, slice.file)
    for (const key of Object.keys(reference) as (keyof typeof reference)[]) {
      if (format[key] !== reference[key]) {
        throw new Error(`${slice.file}: ${key} is ${format[key]} but ${first.file} has ${reference[key]}; the source must be one consistent series`)
      }
    }
  }
  const rows = readUnsignedShort(required(first.dataset, Tags.Rows, first.file))
  const columns = readUnsignedShort(required(first.dataset, Tags.Columns, first.file))
  return {
    dir,
    rows,
    columns,
    signed: reference.pixelRepresentation === 1,
    orientation: readNumbers(required(first.dataset, Tags.ImageOrientationPatient, first.file)),
    slices,
  }
}

function required(dataset: Map<number, DataElement>, elementTag: number, file: string): DataElement {
  const element = dataset.get(elementTag)
  if (!element) throw new Error(`${file} has no ${formatTag(elementTag)}`)
  return element
}

/** What every slice of the series must share for interpolation between them to mean anything. */
function describeFormat(dataset: Map<number, DataElement>, file: string) {
  const text = (elementTag: number): string => readText(required(dataset, elementTag, file))
  const optionalText = (elementTag: number): string => {
    const element = dataset.get(elementTag)
    return element ? readText(element) : ''
  }
  const unsigned = (elementTag: number): number => readUnsignedShort(required(dataset, elementTag, file))
  return {
    seriesInstanceUid: text(Tags.SeriesInstanceUid),
    sopClassUid: text(Tags.SopClassUid),
    rows: unsigned(Tags.Rows),
    columns: unsigned(Tags.Columns),
    samplesPerPixel: unsigned(Tags.SamplesPerPixel),
    bitsAllocated: unsigned(Tags.BitsAllocated),
    pixelRepresentation: unsigned(Tags.PixelRepresentation),
    photometricInterpretation: text(Tags.PhotometricInterpretation),
    orientation: readNumbers(required(dataset, Tags.ImageOrientationPatient, file)).join('\\'),
    rescaleIntercept: optionalText(Tags.RescaleIntercept),
    rescaleSlope: optionalText(Tags.RescaleSlope),
  }
}

async function loadSlice(file: string): Promise<CtSourceSlice> {
  const part10 = readPart10(new Uint8Array(await readFile(file)), file)
  if (part10.transferSyntaxUid !== EXPLICIT_VR_LITTLE_ENDIAN) {
    throw new Error(`${file}: transfer syntax ${part10.transferSyntaxUid}; CT sources must be uncompressed explicit VR little endian`)
  }
  const dataset = part10.dataset
  const format = describeFormat(dataset, file)
  if (format.samplesPerPixel !== 1 || format.bitsAllocated !== 16) {
    throw new Error(`${file}: ${format.samplesPerPixel} samples of ${format.bitsAllocated} bits; CT sources must be 16-bit greyscale`)
  }
  const pixelData = required(dataset, Tags.PixelData, file)
  const expected = format.rows * format.columns * 2
  if (pixelData.value.length !== expected) {
    throw new Error(`${file}: pixel data is ${pixelData.value.length} bytes, expected ${expected} for one ${format.rows}x${format.columns} frame`)
  }
  // Copied out of the file buffer, whose pixel data need not sit on a 2-byte boundary.
  const words = new Uint16Array(format.rows * format.columns)
  new Uint8Array(words.buffer).set(pixelData.value)
  const position = readNumbers(required(dataset, Tags.ImagePositionPatient, file))
  const [x, y, z] = position
  if (position.length !== 3 || x === undefined || y === undefined || z === undefined) throw new Error(`${file}: Image Position (Patient) needs 3 values`)
  const sliceLocation = dataset.get(Tags.SliceLocation)
  const [location] = sliceLocation ? readNumbers(sliceLocation) : []
  return {
    file,
    instanceNumber: readNumbers(required(dataset, Tags.InstanceNumber, file))[0] ?? 0,
    dataset,
    pixels: format.pixelRepresentation === 1 ? new Int16Array(words.buffer) : words,
    position: [x, y, z],
    sliceLocation: location,
  }
}
