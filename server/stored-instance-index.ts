/**
 * Where each instance of recently retrieved studies is stored, with the length and SHA-256 the
 * import recorded for its file: a workstation fetching a study's instances one by one costs one
 * database query for the whole study, not one per instance, and every answer can carry the
 * digest of the bytes as they were imported (so a file damaged on disk since is caught too).
 *
 * A study's records are read together and kept for ttlMs. An instance not among them (imported
 * since) is looked up on its own, so additions show at once. An instance imported again with
 * other bytes may be answered with its old digest for up to ttlMs: the workstation then finds
 * the mismatch, drops the bytes and asks again, never keeping them.
 */
import type { Queryable } from './database.ts'

export const STORED_INSTANCE_TTL_MS = 5_000

/** Studies kept at once; each costs about 200 bytes per instance. */
const MAX_STUDIES = 64

export interface StoredInstance {
  /** Relative to the storage directory. */
  filePath: string
  fileSize: number
  /** Hex, as the import computed it over the file's bytes. */
  sha256: string
}

interface StudyIndex {
  /** By `${seriesUid}/${sopUid}`. */
  instances: Map<string, StoredInstance>
  expiresAt: number
}

interface Row {
  series_instance_uid: string
  sop_instance_uid: string
  file_path: string
  file_size: number | string
  sha256: string
}

const stored = (row: Row): StoredInstance => ({ filePath: row.file_path, fileSize: Number(row.file_size), sha256: row.sha256 })

export class StoredInstanceIndex {
  readonly #db: Queryable
  readonly #ttlMs: number
  readonly #clock: () => number
  /** Loaded or loading, oldest first. */
  readonly #studies = new Map<string, Promise<StudyIndex>>()

  constructor(db: Queryable, ttlMs: number = STORED_INSTANCE_TTL_MS, clock: () => number = () => performance.now()) {
    this.#db = db
    this.#ttlMs = ttlMs
    this.#clock = clock
  }

  /** The stored instance, or undefined when the study has no such instance in that series. */
  async find(studyUid: string, seriesUid: string, sopUid: string): Promise<StoredInstance | undefined> {
    const index = await this.#studyIndex(studyUid)
    return index.instances.get(`${seriesUid}/${sopUid}`) ?? (await this.#lookUpOne(studyUid, seriesUid, sopUid))
  }

  async #studyIndex(studyUid: string): Promise<StudyIndex> {
    for (let current = this.#studies.get(studyUid); current; current = this.#studies.get(studyUid)) {
      const index = await current
      if (this.#clock() < index.expiresAt) return index
      // Expired: reload, unless another request already has while this one waited.
      if (this.#studies.get(studyUid) === current) this.#studies.delete(studyUid)
    }
    // Concurrent first requests for a study share one query.
    const loading = this.#load(studyUid)
    this.#studies.set(studyUid, loading)
    loading.catch(() => {
      if (this.#studies.get(studyUid) === loading) this.#studies.delete(studyUid)
    })
    while (this.#studies.size > MAX_STUDIES) this.#studies.delete(this.#studies.keys().next().value as string)
    return loading
  }

  async #load(studyUid: string): Promise<StudyIndex> {
    const expiresAt = this.#clock() + this.#ttlMs
    const { rows } = await this.#db.query<Row>(
      `select se.series_instance_uid, i.sop_instance_uid, i.file_path, i.file_size, i.sha256
         from instances i join series se on se.series_instance_uid = i.series_instance_uid
        where se.study_instance_uid = $1`,
      [studyUid],
    )
    return { instances: new Map(rows.map((r) => [`${r.series_instance_uid}/${r.sop_instance_uid}`, stored(r)])), expiresAt }
  }

  async #lookUpOne(studyUid: string, seriesUid: string, sopUid: string): Promise<StoredInstance | undefined> {
    const { rows } = await this.#db.query<Row>(
      `select se.series_instance_uid, i.sop_instance_uid, i.file_path, i.file_size, i.sha256
         from instances i join series se on se.series_instance_uid = i.series_instance_uid
        where i.sop_instance_uid = $1 and se.series_instance_uid = $2 and se.study_instance_uid = $3`,
      [sopUid, seriesUid, studyUid],
    )
    return rows[0] ? stored(rows[0]) : undefined
  }
}
