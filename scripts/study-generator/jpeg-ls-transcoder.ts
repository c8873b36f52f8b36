/**
 * JPEG-LS lossless copies of generated series through DCMTK's dcmcjpls (Debian package dcmtk):
 * every file of a folder, a few at a time. dcmcjpls keeps the UIDs for lossless output and
 * writes the same bytes for the same input, so the copies are as deterministic as their source.
 */
import { execFile } from 'node:child_process'
import { mkdir, readdir, stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TranscodeResult {
  files: number
  bytes: number
}

/** Writes `outDir/<name>` as JPEG-LS lossless for every file `inDir/<name>`. */
export async function transcodeFolderToJpegLs(inDir: string, outDir: string, parallel = availableParallelism()): Promise<TranscodeResult> {
  const names = (await readdir(inDir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name)
  await mkdir(outDir, { recursive: true })
  let next = 0
  let bytes = 0
  const lane = async (): Promise<void> => {
    while (next < names.length) {
      const name = names[next++]!
      const output = path.join(outDir, name)
      try {
        await run('dcmcjpls', ['--encode-lossless', path.join(inDir, name), output])
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('dcmcjpls not found: JPEG-LS copies need DCMTK (`apt-get install dcmtk`)', { cause: error })
        throw new Error(`dcmcjpls failed on ${name}: ${((error as { stderr?: string }).stderr ?? String(error)).trim()}`, { cause: error })
      }
      bytes += (await stat(output)).size
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, lane))
  return { files: names.length, bytes }
}
