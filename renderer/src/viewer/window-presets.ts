/** Window (VOI) presets a reader picks with the digit keys, by modality. */
import type { ImageAttributes } from '../repositories/image-attributes.ts'

export interface WindowPreset {
  id: string
  label: { ja: string; en: string }
  center: number
  width: number
}

/**
 * CT presets in Hounsfield units: the typical values of Radiopaedia's "Windowing (CT)"
 * article (https://radiopaedia.org/articles/windowing-ct); its subdural window is a range
 * (W 130–300, L 50–100), of which this takes the middle.
 */
const CT_PRESETS: readonly WindowPreset[] = [
  { id: 'ct-brain', label: { ja: '脳', en: 'Brain' }, center: 40, width: 80 },
  { id: 'ct-subdural', label: { ja: '硬膜下', en: 'Subdural' }, center: 75, width: 215 },
  { id: 'ct-lung', label: { ja: '肺野', en: 'Lung' }, center: -600, width: 1500 },
  { id: 'ct-mediastinum', label: { ja: '縦隔', en: 'Mediastinum' }, center: 50, width: 350 },
  { id: 'ct-abdomen', label: { ja: '腹部', en: 'Abdomen' }, center: 50, width: 400 },
  { id: 'ct-bone', label: { ja: '骨', en: 'Bone' }, center: 400, width: 1800 },
]

/** Projection radiography: no universal values, so the windows the modality wrote into the file. */
const FILE_WINDOW_MODALITIES = new Set(['CR', 'DX', 'MG', 'RG'])

function fileWindows(attributes: ImageAttributes | undefined): WindowPreset[] {
  const centers = attributes?.windowCenter ?? []
  const widths = attributes?.windowWidth ?? []
  const presets: WindowPreset[] = []
  for (let i = 0; i < Math.min(centers.length, widths.length); i += 1) {
    const center = centers[i]!
    const width = widths[i]!
    // PS3.3 C.11.2.1.2: a width below 1 is not a window; a repeated pair would waste a key
    if (width < 1 || presets.some((p) => p.center === center && p.width === width)) continue
    const n = presets.length + 1
    presets.push({ id: `file-${n}`, label: { ja: `ファイル ${n}`, en: `File ${n}` }, center, width })
  }
  return presets
}

/**
 * The presets for an image, in key order (digit 1 is the first): fixed CT windows, the
 * file's own windows for projection radiographs, none for MR and the rest (auto window).
 */
export function windowPresetsFor(modality: string, attributes?: ImageAttributes): WindowPreset[] {
  const m = modality.trim().toUpperCase()
  if (m === 'CT') return CT_PRESETS.map((p) => ({ ...p, label: { ...p.label } }))
  if (FILE_WINDOW_MODALITIES.has(m)) return fileWindows(attributes)
  return []
}
