/**
 * The DICOMweb subset the workstation uses: QIDO-RS searches, WADO-RS instance retrieval
 * (stored bytes unchanged) and WADO-RS metadata. Every route checks the caller may see the study.
 *
 * Each retrieved instance's part carries its Content-Length and a Content-Digest (RFC 9530,
 * `sha-256=:<base64>:`) of the file as imported, so a workstation can prove what it caches is
 * whole and unaltered before it counts it as cached (renderer/src/api/instance-response.ts).
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { DicomJsonDataset } from '../shared/dicom-json.ts'
import { DICOM_JSON_MEDIA_TYPE, DICOM_PART10_MEDIA_TYPE, DICOMWEB_ROOT } from '../shared/dicomweb-paths.ts'
import { multipartContentType } from '../shared/multipart-related.ts'
import { badRequest, notFound } from './api-error.ts'
import type { QueryValues } from './qido-parameters.ts'
import { searchInstances, searchSeries, searchStudies } from './qido-queries.ts'
import { InstanceJsonCache } from './instance-json-cache.ts'
import { openMultipartFileBody } from './multipart-file-body.ts'
import { requireCaller, requireStudyReader } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'
import { StoredInstanceIndex, type StoredInstance } from './stored-instance-index.ts'
import type { StudyAccess } from './study-access.ts'
import { studyMetadataJson } from './wado-metadata.ts'

type UidParams = { study?: string; series?: string; sop?: string }

const UID = /^[0-9.]{1,64}$/

function uidParam(params: UidParams, name: keyof UidParams): string {
  const value = params[name]
  if (value === undefined || !UID.test(value)) throw badRequest(`Not a DICOM UID: ${JSON.stringify(value ?? '')}`)
  return value
}

/** The headers of an instance's part: its type, and its length and digest as imported. */
export function instancePartHeaders(stored: StoredInstance): Record<string, string> {
  return {
    'Content-Type': DICOM_PART10_MEDIA_TYPE,
    'Content-Length': String(stored.fileSize),
    'Content-Digest': `sha-256=:${Buffer.from(stored.sha256, 'hex').toString('base64')}:`,
  }
}

function sendDicomJson(reply: FastifyReply, datasets: DicomJsonDataset[]): FastifyReply {
  return reply.type(DICOM_JSON_MEDIA_TYPE).send(JSON.stringify(datasets))
}

export function registerDicomwebRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const storedInstances = new StoredInstanceIndex(ctx.db)
  const instanceJson = new InstanceJsonCache()

  /** Authenticates the caller and authorises the study named in the path. */
  const studyAccessOf = (request: FastifyRequest): Promise<StudyAccess> => {
    const params = request.params as UidParams
    return requireStudyReader(ctx, request, params.study, () => uidParam(params, 'study'))
  }

  const seriesExists = async (studyUid: string, seriesUid: string): Promise<boolean> => {
    const { rows } = await ctx.db.query('select 1 from series where series_instance_uid = $1 and study_instance_uid = $2', [
      seriesUid,
      studyUid,
    ])
    return rows.length > 0
  }

  app.get(`${DICOMWEB_ROOT}/studies`, async (request, reply) => {
    const { user } = await requireCaller(ctx, request)
    return sendDicomJson(reply, await searchStudies(ctx.db, user, request.query as QueryValues))
  })

  app.get(`${DICOMWEB_ROOT}/studies/:study/series`, async (request, reply) => {
    const access = await studyAccessOf(request)
    return sendDicomJson(reply, await searchSeries(ctx.db, access.studyInstanceUid, request.query as QueryValues))
  })

  app.get(`${DICOMWEB_ROOT}/studies/:study/instances`, async (request, reply) => {
    const access = await studyAccessOf(request)
    return sendDicomJson(reply, await searchInstances(ctx.db, access.studyInstanceUid, undefined, request.query as QueryValues))
  })

  app.get(`${DICOMWEB_ROOT}/studies/:study/series/:series/instances`, async (request, reply) => {
    const access = await studyAccessOf(request)
    const seriesUid = uidParam(request.params as UidParams, 'series')
    if (!(await seriesExists(access.studyInstanceUid, seriesUid))) throw notFound('Series')
    return sendDicomJson(reply, await searchInstances(ctx.db, access.studyInstanceUid, seriesUid, request.query as QueryValues))
  })

  app.get(`${DICOMWEB_ROOT}/studies/:study/metadata`, async (request, reply) => {
    const access = await studyAccessOf(request)
    return reply.type(DICOM_JSON_MEDIA_TYPE).send(await studyMetadataJson(ctx.db, ctx.storageDir, instanceJson, access))
  })

  app.get(`${DICOMWEB_ROOT}/studies/:study/series/:series/metadata`, async (request, reply) => {
    const access = await studyAccessOf(request)
    const seriesUid = uidParam(request.params as UidParams, 'series')
    if (!(await seriesExists(access.studyInstanceUid, seriesUid))) throw notFound('Series')
    return reply.type(DICOM_JSON_MEDIA_TYPE).send(await studyMetadataJson(ctx.db, ctx.storageDir, instanceJson, access, seriesUid))
  })

  app.get(`${DICOMWEB_ROOT}/studies/:study/series/:series/instances/:sop`, async (request, reply) => {
    const access = await studyAccessOf(request)
    const params = request.params as UidParams
    const seriesUid = uidParam(params, 'series')
    const sopUid = uidParam(params, 'sop')
    const stored = await storedInstances.find(access.studyInstanceUid, seriesUid, sopUid)
    if (stored === undefined) throw notFound('Instance')
    const boundary = `dicomweb-${randomBytes(16).toString('hex')}`
    const body = await openMultipartFileBody(join(ctx.storageDir, stored.filePath), instancePartHeaders(stored), boundary)
    reply.raw.once('close', body.release)
    return reply
      .header('content-type', multipartContentType(DICOM_PART10_MEDIA_TYPE, boundary))
      .header('content-length', body.length)
      .send(body.payload)
  })
}
