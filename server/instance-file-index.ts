/**
 * Where the instances of recently retrieved studies are stored, so a workstation fetching a
 * study's instances one by one costs one database query for the whole study, not one per instance.
 *
 * A study's locations are read together and kept for ttlMs. An instance not among them (imported
 * since) is looked up on its own, so additions show at once. Imports never move an instance to
 * another series or study and nothing deletes one, so a kept location cannot go wrong today; the
 * TTL bounds how long one could outlive a deletion made some other way.
 */
import type { Queryable } from './database.ts'

export const INSTANCE_INDEX_TTL_MS = 5_000

/** Studies kept at once; each costs about 100 bytes per instance. */
const MAX_STUDIES = 64

interface StudyIndex {
  /** File path (relative to the storage directory) by `${seriesUid}/${sopUid}`. */
  files: Map<string, string>
  expiresAt: number
}

export class InstanceFileIndex {
  readonly #db: Queryable
  readonly #ttlMs: number
  readonly #clock: () => number
  /** Loaded or loading, oldest first. */
  readonly #studies = new Map<string, Promise<StudyIndex>>()

  constructor(db: Queryable, ttlMs: number = INSTANCE_INDEX_TTL_MS, clock: () => number = () => performance.now()) {
    this.#db = db
    this.#ttlMs = ttlMs
    this.#clock = clock
  }

  /** The stored file of the instance, relative to the storage directory, or undefined when the study has no such instance in that series. */
  async filePath(studyUid: string, seriesUid: string, sopUid: string): Promise<string | undefined> {
    const index = await this.#studyIndex(studyUid)
    return index.files.get(`${seriesUid}/${sopUid}`) ?? (await this.#lookUpOne(studyUid, seriesUid, sopUid))
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
    const { rows } = await this.#db.query<{ series_instance_uid: string; sop_instance_uid: string; file_path: string }>(
      `select se.series_instance_uid, i.sop_instance_uid, i.file_path
         from instances i join series se on se.series_instance_uid = i.series_instance_uid
        where se.study_instance_uid = $1`,
      [studyUid],
    )
    return { files: new Map(rows.map((r) => [`${r.series_instance_uid}/${r.sop_instance_uid}`, r.file_path])), expiresAt }
  }

  async #lookUpOne(studyUid: string, seriesUid: string, sopUid: string): Promise<string | undefined> {
    const { rows } = await this.#db.query<{ file_path: string }>(
      `select i.file_path from instances i join series se on se.series_instance_uid = i.series_instance_uid
        where i.sop_instance_uid = $1 and se.series_instance_uid = $2 and se.study_instance_uid = $3`,
      [sopUid, seriesUid, studyUid],
    )
    return rows[0]?.file_path
  }
}
