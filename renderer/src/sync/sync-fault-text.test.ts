import { describe, expect, it } from 'vitest'
import { translate } from '../i18n/messages.ts'
import { syncFaultText } from './sync-fault-text.ts'

describe('sync fault text', () => {
  const time = () => '12:34:56'

  it('says what went wrong and when it is tried again, in either language', () => {
    const fault = { kind: 'server-busy' as const, detail: '503 Service Unavailable', retryAt: 1 }
    expect(syncFaultText((k, p) => translate('ja', k, p), fault, time)).toBe('サーバーが混雑しているか保守中です: 503 Service Unavailable 12:34:56 に自動で再試行します')
    expect(syncFaultText((k, p) => translate('en', k, p), fault, time)).toBe('The server is busy or under maintenance: 503 Service Unavailable Retrying automatically at 12:34:56')
  })

  it('says nothing of retrying when the engine will not by itself', () => {
    const text = syncFaultText((k, p) => translate('en', k, p), { kind: 'session-expired', detail: 'expired' }, time)
    expect(text).toBe('Your session has expired. Log in again and the download continues from where it stopped.')
  })
})
