/**
 * DICOM UIDs under the 2.25 root (a UUID as a decimal integer, PS3.5 B.2), derived from a name
 * so the same report always gets the same Series and SOP Instance UIDs: exporting it twice
 * yields the same instance, not a duplicate. The UUID is a version 8 (RFC 9562) over SHA-256.
 */
import { createHash } from 'node:crypto'

export function uidFromName(name: string): string {
  const bytes = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  return `2.25.${BigInt(`0x${bytes.toString('hex')}`).toString(10)}`
}
