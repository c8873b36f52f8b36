/**
 * Deterministic DICOM UIDs. Each is "2.25." followed by the decimal value of a name-based
 * UUID (version 5, RFC 9562), which PS3.5 B.2 allows without a registered root: the same seed
 * and name give the same UID on every machine, and different names practically never collide.
 */
import { createHash } from 'node:crypto'

/** This generator's own UUID namespace, so its names cannot collide with anyone else's version-5 UUIDs. */
const GENERATOR_NAMESPACE = '178cd7d3-331c-4ce3-8d10-eb4757b14441'

/** The version-5 UUID of `name` in `namespace` (RFC 9562 5.5), as 16 bytes. */
export function nameBasedUuid(name: string, namespace: string = GENERATOR_NAMESPACE): Uint8Array {
  const namespaceBytes = Buffer.from(namespace.replaceAll('-', ''), 'hex')
  if (namespaceBytes.length !== 16) throw new Error(`${namespace} is not a UUID`)
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest()
  const uuid = new Uint8Array(hash.subarray(0, 16))
  uuid[6] = ((uuid[6] ?? 0) & 0x0f) | 0x50
  uuid[8] = ((uuid[8] ?? 0) & 0x3f) | 0x80
  return uuid
}

/** The "2.25" UID of a UUID: its 128 bits as one unsigned decimal integer (at most 44 characters). */
export function uuidToUid(uuid: Uint8Array): string {
  let value = 0n
  for (const byte of uuid) value = (value << 8n) | BigInt(byte)
  return `2.25.${value.toString(10)}`
}

/** A UID for `name`; the same name always gives the same UID. */
export function uidFromName(name: string): string {
  return uuidToUid(nameBasedUuid(name))
}

/** UIDs for one generation run: every UID is a function of the seed and what it names, nothing else. */
export function createUidGenerator(seed: string): (purpose: string) => string {
  return (purpose) => uidFromName(`seed=${seed}/${purpose}`)
}
