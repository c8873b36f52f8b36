/**
 * The public DICOM test set the fuzz test starts from: `../shared/dicom` next to the repository
 * (manifest.tsv lists every file). Missing, it is an error that says where it was looked for,
 * never a silently empty corpus.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))

/** The folder holding manifest.tsv; throws when it is absent. */
export function sharedDicomDir(): string {
  const dir = path.resolve(repositoryRoot, '..', 'shared', 'dicom')
  if (!existsSync(path.join(dir, 'manifest.tsv'))) {
    throw new Error(`the public DICOM test set is missing: expected ${path.join(dir, 'manifest.tsv')} (../shared/dicom relative to the repository root)`)
  }
  return dir
}

export interface CorpusFile {
  /** Path relative to the corpus folder, as the manifest names it. */
  name: string
  bytes: Uint8Array
}

/** Every file the manifest lists, read into memory (about 24 MB). */
export function loadSharedCorpus(): CorpusFile[] {
  const dir = sharedDicomDir()
  const lines = readFileSync(path.join(dir, 'manifest.tsv'), 'utf8').trim().split('\n')
  const column = lines[0]!.split('\t').indexOf('dest')
  if (column === -1) throw new Error('manifest.tsv has no "dest" column')
  return lines.slice(1).map((line) => {
    const name = line.split('\t')[column]!
    return { name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) }
  })
}
