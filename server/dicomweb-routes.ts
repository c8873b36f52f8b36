/**
 * The DICOMweb subset the workstation uses: QIDO-RS searches, WADO-RS instance retrieval
 * (stored bytes unchanged) and WADO-RS metadata. Every route checks the caller may see the study.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { DicomJsonDataset } from '../shared/dicom-json.ts'
import { DICOM_JSON_MEDIA_TYPE, DICOM_PART10_MEDIA_TYPE, DICOMWEB_ROOT } from '../shared/dicomweb-paths.ts'
import { buildMultipart, multipartContentType } from '../shared/multipart-related.ts'
import { badRequest, notFound } from './api-error.ts'
import type { QueryValues } from './qido-parameters.ts'
import { searchInstances, searchSeries, searchStudies } from './qido-queries.ts'
import { requireCaller } from './request-auth.ts'
import type { ServerContext } from './server-context.ts'
import { requireStudyAccess, type StudyAccess } from './study-access.ts'
import { studyMetadata } from './wado-metadata.ts'

type UidParams = { study?: string; series?: string; sop?: string }

const UID = /^[0-9.]{1,64}$/

function uidParam(params: UidParams, name: keyof UidParams): string {
  const value = params[name]
  if (value === undefined || !UID.test(value)) throw badRequest(`Not a DICOM UID: ${JSON.stringify(value ?? '')}`)
  return value
}

function sendDicomJson(reply: FastifyReply, datasets: DicomJsonDataset[]): FastifyReply {
  return reply.type(DICOM_JSON_MEDIA_TYPE).send(JSON.stringify(datasets))
}

export function registerDicomwebRoutes(app: FastifyInstance, ctx: ServerContext): void {
  /** Authenticates the caller and authorises the study named in the path. */
  const studyAccessOf = async (request: FastifyRequest): Promise<StudyAccess> => {
    const { user } = await requireCaller(ctx, request)
    return requireStudyAccess(ctx.db, user, uidParam(request.params as UidParams, 'study'))
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
    return sendDicomJson(reply, await studyMetadata(ctx.db, ctx.storageDir, access))
  })

  app.get(`${DICOMWEB_ROOT}/studies/:study/series/:series/metadata`, async (request, reply) => {
    const access = await studyAccessOf(request)
    const seriesUid = uidParam(request.params as UidParams, 'series')
    if (!(await seriesExists(access.studyInstanceUid, seriesUid))) throw notFound('Series')
    return sendDicomJson(reply, await studyMetadata(ctx.db, ctx.storageDir, access, seriesUid))
  })

  app.get(`${DICOMWEB_ROOT}/studies/:study/series/:series/instances/:sop`, async (request, reply) => {
    const access = await studyAccessOf(request)
    const params = request.params as UidParams
    const seriesUid = uidParam(params, 'series')
    const sopUid = uidParam(params, 'sop')
    const { rows } = await ctx.db.query<{ file_path: string }>(
      `select i.file_path from instances i join series se on se.series_instance_uid = i.series_instance_uid
        where i.sop_instance_uid = $1 and se.series_instance_uid = $2 and se.study_instance_uid = $3`,
      [sopUid, seriesUid, access.studyInstanceUid],
    )
    const row = rows[0]
    if (!row) throw notFound('Instance')
    const bytes = await readFile(join(ctx.storageDir, row.file_path))
    const boundary = `dicomweb-${randomBytes(16).toString('hex')}`
    const body = Buffer.concat(buildMultipart([{ headers: { 'Content-Type': DICOM_PART10_MEDIA_TYPE }, body: bytes }], boundary))
    return reply
      .header('content-type', multipartContentType(DICOM_PART10_MEDIA_TYPE, boundary))
      .header('content-length', body.length)
      .send(body)
  })
}
