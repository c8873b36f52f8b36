/**
 * A DICOMweb client for the subset the workstation uses: QIDO-RS searches and WADO-RS
 * retrieval of Part-10 instances and metadata. Works against the reference reading server
 * and any standard PACS (Orthanc, dcm4chee).
 */
import { dicomJsonListSchema, type DicomJsonDataset } from '../../../shared/dicom-json.ts'
import { DICOM_JSON_MEDIA_TYPE, DICOM_PART10_MEDIA_TYPE, dicomwebPaths } from '../../../shared/dicomweb-paths.ts'
import { readInstanceResponse } from './instance-response.ts'
import { errorFromResponse, fetchOrUnreachable, RequestError } from './request-error.ts'
import { readResponseJson } from './response-body.ts'

export interface DicomwebClientOptions {
  /** The service root, e.g. "http://127.0.0.1:8642/dicomweb" or "http://127.0.0.1:8042/dicom-web". */
  root: string
  /** Returns the bearer token to send, or null for a server without authentication. */
  getToken?: () => string | null
  fetch?: typeof fetch
}

export interface DicomwebClient {
  searchStudies(query?: Record<string, string>): Promise<DicomJsonDataset[]>
  searchSeries(study: string): Promise<DicomJsonDataset[]>
  searchInstances(study: string, series: string): Promise<DicomJsonDataset[]>
  retrieveStudyMetadata(study: string): Promise<DicomJsonDataset[]>
  /**
   * The instance's Part-10 bytes exactly as the server stores them, checked whole (see
   * instance-response.ts): a short, cut or altered answer fails instead of returning.
   */
  retrieveInstance(study: string, series: string, sop: string, signal?: AbortSignal): Promise<Uint8Array>
}

/** Creates a client bound to one DICOMweb service root. */
export function createDicomwebClient(options: DicomwebClientOptions): DicomwebClient {
  const root = options.root.replace(/\/+$/, '')
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis)

  function headers(accept: string): Record<string, string> {
    const token = options.getToken?.()
    return token ? { accept, authorization: `Bearer ${token}` } : { accept }
  }

  async function getJson(path: string): Promise<DicomJsonDataset[]> {
    const url = root + path
    const response = await fetchOrUnreachable(fetchFn, url, { headers: headers(DICOM_JSON_MEDIA_TYPE) })
    if (response.status === 204) return []
    if (!response.ok) throw await errorFromResponse(response)
    const parsed = dicomJsonListSchema.safeParse(await readResponseJson(response, path))
    if (!parsed.success) throw new RequestError('bad-response', `${path}: not a DICOM JSON list`)
    return parsed.data
  }

  return {
    searchStudies(query = {}) {
      const qs = new URLSearchParams(query).toString()
      return getJson(dicomwebPaths.studies() + (qs ? `?${qs}` : ''))
    },
    searchSeries: (study) => getJson(dicomwebPaths.series(study)),
    searchInstances: (study, series) => getJson(dicomwebPaths.instances(study, series)),
    retrieveStudyMetadata: (study) => getJson(dicomwebPaths.studyMetadata(study)),

    async retrieveInstance(study, series, sop, signal) {
      const path = dicomwebPaths.instance(study, series, sop)
      const accept = `multipart/related; type="${DICOM_PART10_MEDIA_TYPE}"; transfer-syntax=*`
      const init: RequestInit = { headers: headers(accept) }
      if (signal) init.signal = signal
      const response = await fetchOrUnreachable(fetchFn, root + path, init)
      if (!response.ok) throw await errorFromResponse(response)
      // checked whole (length, framing, and the server's digest when it sends one) or refused
      return (await readInstanceResponse(response, path)).bytes
    },
  }
}
