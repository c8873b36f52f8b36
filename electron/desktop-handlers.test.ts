import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { DESKTOP_BRIDGE_GLOBAL, DESKTOP_CHANNELS } from '../shared/desktop-bridge.ts'
import { isAppUrl } from './app-protocol.ts'
import type { CredentialStore } from './credential-store.ts'
import { argumentValidators, createDesktopHandlers, dispatchDesktopCall } from './desktop-handlers.ts'

const credentials: CredentialStore = { load: vi.fn(async () => null), save: vi.fn(async () => undefined), clear: vi.fn(async () => undefined) }
const handlers = createDesktopHandlers({
  appInfo: () => ({ version: '1', shell: 'electron', builtInServerUrl: 'http://127.0.0.1:1' }),
  credentials,
  cacheKey: async () => ({ key: 'k', persistent: true }),
})
const good = { username: 'reader1', accessToken: 'tok', expiresAt: '2030-01-01T00:00:00Z' }

describe('desktop bridge handlers', () => {
  it('has a handler and a validator for every channel of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual([...DESKTOP_CHANNELS].sort())
    expect(Object.keys(argumentValidators).sort()).toEqual([...DESKTOP_CHANNELS].sort())
  })

  it('answers the app itself', async () => {
    await expect(dispatchDesktopCall(handlers, 'app:info', 'app://workstation/index.html', [], isAppUrl)).resolves.toMatchObject({ shell: 'electron' })
    await dispatchDesktopCall(handlers, 'credentials:save', 'app://workstation/', ['http://127.0.0.1:8642', good], isAppUrl)
    expect(credentials.save).toHaveBeenCalledWith('http://127.0.0.1:8642', good)
  })

  it('refuses other senders', async () => {
    await expect(dispatchDesktopCall(handlers, 'credentials:load', 'https://evil.example/', ['http://127.0.0.1:8642'], isAppUrl)).rejects.toThrow(/sender is not the workstation/)
    await expect(dispatchDesktopCall(handlers, 'credentials:load', undefined, ['http://127.0.0.1:8642'], isAppUrl)).rejects.toThrow(/sender/)
  })

  it('refuses invalid arguments', async () => {
    const call = (channel: (typeof DESKTOP_CHANNELS)[number], args: unknown[]) => dispatchDesktopCall(handlers, channel, 'app://workstation/', args, isAppUrl)
    await expect(call('credentials:load', ['javascript:alert(1)'])).rejects.toThrow(/invalid arguments/)
    await expect(call('credentials:save', ['http://127.0.0.1:8642', { username: '', accessToken: 'x', expiresAt: 'soon' }])).rejects.toThrow(/invalid arguments/)
    await expect(call('credentials:clear', ['http://user:pw@host/'])).rejects.toThrow(/invalid arguments/)
    await expect(call('app:info', ['extra'])).rejects.toThrow(/invalid arguments/)
  })

  it('the preload exposes the bridge under the shared global name and only through invoke', () => {
    const preload = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8')
    expect(preload).toContain(`exposeInMainWorld('${DESKTOP_BRIDGE_GLOBAL}'`)
    expect(preload).not.toMatch(/ipcRenderer\.(send|on)\(/)
    for (const channel of DESKTOP_CHANNELS) expect(preload).toContain(`'${channel}'`)
  })
})
