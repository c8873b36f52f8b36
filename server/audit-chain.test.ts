import { describe, expect, it } from 'vitest'
import { ChainVerifier, GENESIS_HASH, canonicalJson, entryHash, type ChainedFields } from './audit-chain.ts'

function chain(count: number): Array<ChainedFields & { hash: string }> {
  const out: Array<ChainedFields & { hash: string }> = []
  let prevHash = GENESIS_HASH
  for (let seq = 1; seq <= count; seq++) {
    const fields: ChainedFields = {
      seq,
      kind: 'login',
      eventId: '110114',
      eventType: '110122',
      action: 'E',
      outcome: 0,
      source: 'server',
      userId: 'u-1',
      username: 'reader1',
      studyInstanceUid: null,
      assignmentId: null,
      serverTime: `2026-11-03T09:00:0${seq % 10}.000Z`,
      clientTime: null,
      clientEventId: null,
      detail: { n: seq, nested: { b: 1, a: [2, { d: 1, c: 0 }] } },
      prevHash,
    }
    const hash = entryHash(fields)
    out.push({ ...fields, hash })
    prevHash = hash
  }
  return out
}

function verify(entries: Array<ChainedFields & { hash: string }>, head: { seq: number; hash: string } | null) {
  const verifier = new ChainVerifier()
  for (const e of entries) if (!verifier.add(e)) break
  return verifier.finish(head)
}

describe('audit hash chain', () => {
  it('hashes canonical JSON: key order never matters, values do', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}')
    const [entry] = chain(1)
    const { hash, ...fields } = entry!
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as unknown as ChainedFields
    expect(entryHash(reordered)).toBe(hash)
    expect(entryHash({ ...fields, outcome: 4 })).not.toBe(hash)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('passes an intact chain and names the first entry that was edited, removed, or cut from the end', () => {
    const entries = chain(5)
    const head = { seq: 5, hash: entries[4]!.hash }
    expect(verify(entries, head)).toBeNull()
    expect(verify([], null)).toBeNull()

    const edited = entries.map((e) => (e.seq === 3 ? { ...e, username: 'reader2' } : e))
    expect(verify(edited, head)).toMatchObject({ seq: 3, reason: expect.stringMatching(/edited/) })

    // edited and re-hashed: the next entry's link gives it away
    const rehashed = entries.map(({ hash, ...fields }) => (fields.seq === 3 ? { ...fields, username: 'reader2', hash: entryHash({ ...fields, username: 'reader2' }) } : { ...fields, hash }))
    expect(verify(rehashed, head)).toMatchObject({ seq: 4, reason: expect.stringMatching(/link/) })

    expect(verify(entries.filter((e) => e.seq !== 2), head)).toMatchObject({ seq: 3, reason: expect.stringMatching(/missing/) })
    expect(verify(entries.slice(0, 3), head)).toMatchObject({ seq: 4, reason: expect.stringMatching(/removed/) })
    expect(verify(entries, { seq: 4, hash: entries[3]!.hash })).toMatchObject({ seq: 5, reason: expect.stringMatching(/added/) })
    expect(verify(entries, null)).toMatchObject({ seq: 1, reason: expect.stringMatching(/head/) })
  })
})
