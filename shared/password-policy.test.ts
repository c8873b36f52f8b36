import { describe, expect, it } from 'vitest'
import { checkPasswordPolicy } from './password-policy.ts'

const plain = { username: 'reader1', hasSecondFactor: false }
const twoFactor = { username: 'reader1', hasSecondFactor: true }

describe('password policy', () => {
  it('needs 13 characters without a second factor, 8 with one', () => {
    expect(checkPasswordPolicy('abcdefghijkl', plain)).toBe('too-short')
    expect(checkPasswordPolicy('abcdefghijklm', plain)).toBeUndefined()
    expect(checkPasswordPolicy('abcdefg', twoFactor)).toBe('too-short')
    expect(checkPasswordPolicy('abcdefgh', twoFactor)).toBeUndefined()
    expect(checkPasswordPolicy('demo-password-2026', plain)).toBeUndefined()
  })

  it('counts characters, not UTF-16 units, and caps the length', () => {
    expect(checkPasswordPolicy('読影医のパスワード十三文字', plain)).toBeUndefined()
    expect(checkPasswordPolicy('😀😀😀😀😀😀😀', twoFactor)).toBe('too-short')
    expect(checkPasswordPolicy('x'.repeat(200) + 'y'.repeat(57), plain)).toBe('too-long')
  })

  it('refuses the user name and one repeated character', () => {
    expect(checkPasswordPolicy('Reader1-longname', { username: 'reader1-longname', hasSecondFactor: false })).toBe('same-as-username')
    expect(checkPasswordPolicy('aaaaaaaaaaaaaa', plain)).toBe('one-character')
  })
})
