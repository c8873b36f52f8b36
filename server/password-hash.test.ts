import { describe, expect, it } from 'vitest'
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './password-hash.ts'

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse')
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/)
    expect(await verifyPassword('correct horse', stored)).toBe(true)
    expect(await verifyPassword('correct horsf', stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
  })

  it('salts every hash, so equal passwords give different hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')])
    expect(a).not.toBe(b)
    expect(await verifyPassword('same', a)).toBe(true)
    expect(await verifyPassword('same', b)).toBe(true)
  })

  it('handles non-ASCII passwords', async () => {
    const stored = await hashPassword('パスワード2026')
    expect(await verifyPassword('パスワード2026', stored)).toBe(true)
    expect(await verifyPassword('パスワード2025', stored)).toBe(false)
  })

  it('treats malformed stored hashes as a mismatch instead of throwing', async () => {
    for (const stored of ['', 'plain', 'scrypt$x$y$z$a$b', 'bcrypt$1$2$3$AAAA$AAAA', 'scrypt$16384$8$1$$']) {
      expect(await verifyPassword('anything', stored)).toBe(false)
    }
  })

  it('has a well-formed dummy hash that matches nothing typed', async () => {
    expect(await verifyPassword('', DUMMY_PASSWORD_HASH)).toBe(false)
    expect(await verifyPassword('demo-password-2026', DUMMY_PASSWORD_HASH)).toBe(false)
  })
})
