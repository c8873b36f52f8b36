import { describe, expect, it, vi } from 'vitest'
import { InsecureStorageError, type CredentialStore } from './credential-store.ts'
import { insecureStorageMessage, withInsecureStorageNotice } from './insecure-storage-notice.ts'

const creds = { username: 'reader1', accessToken: 'tok', expiresAt: '2030-01-01T00:00:00Z' }

function storeThatRefuses(error: Error): CredentialStore {
  return { load: async () => null, clear: async () => undefined, save: async () => Promise.reject(error) }
}

describe('insecure storage notice', () => {
  it('tells the reader once, and the caller still learns that saving failed', async () => {
    const notify = vi.fn()
    const store = withInsecureStorageNotice(storeThatRefuses(new InsecureStorageError()), notify)
    await expect(store.save('http://127.0.0.1:8642', creds)).rejects.toBeInstanceOf(InsecureStorageError)
    await expect(store.save('http://127.0.0.1:8642', creds)).rejects.toBeInstanceOf(InsecureStorageError)
    expect(notify).toHaveBeenCalledTimes(1)
  })

  it('stays quiet for other failures and for successful saves', async () => {
    const notify = vi.fn()
    await expect(withInsecureStorageNotice(storeThatRefuses(new Error('disk full')), notify).save('http://h', creds)).rejects.toThrow('disk full')
    const ok = withInsecureStorageNotice({ load: async () => null, clear: async () => undefined, save: async () => undefined }, notify)
    await ok.save('http://h', creds)
    expect(notify).not.toHaveBeenCalled()
  })

  it('speaks Japanese to a Japanese locale and English otherwise', () => {
    expect(insecureStorageMessage('ja-JP').message).toContain('保存しませんでした')
    expect(insecureStorageMessage('ja').title).toBe('資格情報を保存できません')
    expect(insecureStorageMessage('en-US').message).toContain('not saved')
    expect(insecureStorageMessage('de-DE').message).toContain('not saved')
  })
})
