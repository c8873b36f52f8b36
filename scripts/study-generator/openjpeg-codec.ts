/**
 * JPEG 2000 through OpenJPEG's command-line tools (Debian package libopenjp2-tools): decoding
 * the real mammogram's codestream, and encoding generated images losslessly (reversible 5/3
 * wavelet, OpenJPEG's defaults). Both run as child processes on files in a temporary folder.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { encodePgm, parsePgm, type GreyImage } from './grey-image.ts'

const run = promisify(execFile)
const INSTALL_HINT = 'OpenJPEG\'s tools are needed for JPEG 2000: run `apt-get install libopenjp2-tools`'

async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'studygen-j2k-'))
  try {
    return await work(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function tool(name: string, args: string[]): Promise<void> {
  try {
    await run(name, args, { maxBuffer: 16 * 1024 * 1024 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${name} not found. ${INSTALL_HINT}`, { cause: error })
    const stderr = (error as { stderr?: string }).stderr ?? ''
    throw new Error(`${name} failed: ${stderr.trim().split('\n').slice(-3).join(' ') || String(error)}`, { cause: error })
  }
}

/** Decodes one JPEG 2000 codestream (J2K or JP2) of a single greyscale component. */
export function decodeJpeg2000(codestream: Uint8Array): Promise<GreyImage> {
  return inTempDir(async (dir) => {
    // JP2 files start with a signature box, raw codestreams with SOC (FF 4F)
    const input = path.join(dir, codestream[0] === 0xff && codestream[1] === 0x4f ? 'in.j2k' : 'in.jp2')
    await writeFile(input, codestream)
    const output = path.join(dir, 'out.pgm')
    await tool('opj_decompress', ['-quiet', '-i', input, '-o', output])
    return parsePgm(new Uint8Array(await readFile(output)))
  })
}

/** Encodes losslessly as a raw J2K codestream (what DICOM encapsulates, PS3.5 A.4.4). The same image gives the same bytes. */
export function encodeJpeg2000Lossless(image: GreyImage): Promise<Uint8Array> {
  return inTempDir(async (dir) => {
    const input = path.join(dir, 'in.pgm')
    await writeFile(input, encodePgm(image))
    const output = path.join(dir, 'out.j2k')
    await tool('opj_compress', ['-i', input, '-o', output])
    return new Uint8Array(await readFile(output))
  })
}
