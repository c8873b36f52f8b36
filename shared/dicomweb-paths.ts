/** DICOMweb (QIDO-RS / WADO-RS) paths relative to a service root such as "/dicomweb". */

export const DICOMWEB_ROOT = '/dicomweb'

export const dicomwebPaths = {
  studies: () => '/studies',
  study: (study: string) => `/studies/${enc(study)}`,
  series: (study: string) => `/studies/${enc(study)}/series`,
  instances: (study: string, series: string) => `/studies/${enc(study)}/series/${enc(series)}/instances`,
  instance: (study: string, series: string, sop: string) =>
    `/studies/${enc(study)}/series/${enc(series)}/instances/${enc(sop)}`,
  studyMetadata: (study: string) => `/studies/${enc(study)}/metadata`,
  seriesMetadata: (study: string, series: string) => `/studies/${enc(study)}/series/${enc(series)}/metadata`,
} as const

function enc(uid: string): string {
  if (!/^[0-9.]{1,64}$/.test(uid)) throw new Error(`not a DICOM UID: ${JSON.stringify(uid)}`)
  return uid
}

export const DICOM_PART10_MEDIA_TYPE = 'application/dicom'
export const DICOM_JSON_MEDIA_TYPE = 'application/dicom+json'
