/**
 * What the derived demo studies (made at seed time from the real files in demo-data/dicom)
 * share: UIDs derived from names, so every seed makes the same studies; the source elements
 * that never carry over; dates moved back by whole years; and the writer's identity.
 */
import { uidFromName } from './derived-uid.ts'
import type { Part10Identity, Tag } from './dicom-part10-writer.ts'

/** One derived instance: a file name (unique within its study) and its Part-10 bytes. */
export interface DerivedInstance {
  name: string
  bytes: Uint8Array
}

export const DEMO_DERIVATION_IDENTITY: Part10Identity = {
  implementationClassUid: uidFromName('reading-server/implementation-class/demo-seed'),
  implementationVersionName: 'RW_DEMO_SEED_1',
}

/** A UID for a derived demo study, series or instance, the same on every seed. */
export function demoUid(...path: string[]): string {
  return uidFromName(`reading-server/demo-seed/${path.join('/')}`)
}

/**
 * Source elements never copied into a derived instance: group lengths (gggg,0000) would go
 * stale, and private groups hold vendors' own copies of UIDs and dates that cannot be rewritten.
 */
export function isPrivateOrGroupLength(tag: Tag): boolean {
  return tag.endsWith('0000') || parseInt(tag.slice(0, 4), 16) % 2 === 1
}

/** A DICOM DA (YYYYMMDD) the given number of years earlier; 29 February becomes the 28th. */
export function yearsEarlier(date: string, years: number): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date)
  if (!match) throw new Error(`${JSON.stringify(date)} is not a DICOM date (YYYYMMDD)`)
  const year = Number(match[1]) - years
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const day = match[2] === '02' && match[3] === '29' && !leap ? '28' : (match[3] as string)
  return `${String(year).padStart(4, '0')}${match[2]}${day}`
}
