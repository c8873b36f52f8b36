import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { DESKTOP_BRIDGE_GLOBAL, DESKTOP_CHANNELS, type DesktopChannel } from '../shared/desktop-bridge.ts'
import { isAppUrl } from './app-protocol.ts'
import type { CredentialStore } from './credential-store.ts'
import { argumentValidators, createDesktopHandlers, dispatchDesktopCall } from './desktop-handlers.ts'

const credentials = {
  load: vi.fn<CredentialStore['load']>(async () => null),
  save: vi.fn<CredentialStore['save']>(async () => undefined),
  clear: vi.fn<CredentialStore['clear']>(async () => undefined),
}
const cacheKey = vi.fn(async () => ({ key: 'k', persistent: true }))
const handlers = createDesktopHandlers({
  appInfo: () => ({ version: '1', shell: 'electron', builtInServerUrl: 'http://127.0.0.1:1' }),
  credentials,
  cacheKey,
})
const SERVER = 'http://127.0.0.1:8642'
const good = { username: 'reader1', accessToken: 'tok', expiresAt: '2030-01-01T00:00:00Z' }
const APP_PAGE = 'app://workstation/index.html'

/** Valid arguments for each channel, so a test can vary one thing at a time. */
const VALID_ARGS: Record<DesktopChannel, unknown[]> = {
  'app:info': [],
  'credentials:load': [SERVER],
  'credentials:save': [SERVER, good],
  'credentials:clear': [SERVER],
  'cache:key': [],
}

const call = (channel: DesktopChannel, args: unknown[], ...sender: [string | undefined] | []) =>
  dispatchDesktopCall(handlers, channel, sender.length ? sender[0] : APP_PAGE, args, isAppUrl)

/** Frame URLs that are not the workstation: other origins, local files, inline documents, look-alikes. */
const HOSTILE_SENDERS: (string | undefined)[] = [
  undefined,
  '',
  'https://evil.example/',
  'http://127.0.0.1:8642/',
  'file:///opt/reading-workstation/resources/app.asar/dist/renderer/index.html',
  'file:///etc/passwd',
  'data:text/html,<script>readingDesktop.credentials.load("http://127.0.0.1:8642")</script>',
  'about:blank',
  'blob:app://workstation/5d1c2b9e-0000-4000-8000-000000000000',
  'devtools://devtools/bundled/inspector.html',
  'chrome-extension://abcdefghijklmnop/page.html',
  'app://evil/index.html',
  'app://workstation.evil.example/index.html',
  'app://workstation:8080/index.html',
  'app://user:pw@workstation/index.html',
  'app://evil@workstation.example/',
  'javascript:alert(1)',
  'not a url',
]

/** A `{"__proto__": …}` object as JSON.parse (and structured clone) deliver it: an own key, not a prototype. */
const protoPayload = JSON.parse('{"username":"reader1","accessToken":"tok","expiresAt":"2030-01-01T00:00:00Z","__proto__":{"polluted":true}}') as unknown
const constructorPayload = { ...good, constructor: { prototype: { polluted: true } } }
const HOSTILE_CREDENTIALS: [string, unknown][] = [
  ['__proto__ own key', protoPayload],
  ['constructor.prototype', constructorPayload],
  ['an object whose prototype is not Object', Object.assign(Object.create({ isAdmin: true }) as object, good)],
  ['an extra field', { ...good, role: 'admin' }],
  ['a missing field', { username: 'reader1', accessToken: 'tok' }],
  ['a getter', Object.defineProperty({ username: 'reader1', accessToken: 'tok' }, 'expiresAt', { get: () => '2030-01-01T00:00:00Z', enumerable: true })],
  ['a throwing getter', Object.defineProperty({ username: 'reader1', accessToken: 'tok' }, 'expiresAt', { get: () => { throw new Error('boom') }, enumerable: true })],
  ['a huge token', { ...good, accessToken: 'x'.repeat(5_000_000) }],
  ['a huge user name', { ...good, username: 'x'.repeat(65) }],
  ['a huge expiry', { ...good, expiresAt: `2030-01-01T00:00:00Z${' '.repeat(1_000_000)}` }],
  ['an unparsable expiry', { ...good, expiresAt: 'soon' }],
  ['an empty user name', { ...good, username: '' }],
  ['a numeric token', { ...good, accessToken: 12345 }],
  ['an array', ['reader1', 'tok', '2030-01-01T00:00:00Z']],
  ['null', null],
  ['a string', JSON.stringify(good)],
  ['a number', 42],
  ['a symbol key', { ...good, [Symbol('x')]: 1 }],
]
const HOSTILE_SERVER_URLS: [string, unknown][] = [
  ['javascript:', 'javascript:alert(1)'],
  ['file:', 'file:///etc/passwd'],
  ['data:', 'data:text/plain,hi'],
  ['credentials in the URL', 'http://user:pw@host/'],
  ['a huge URL', `http://127.0.0.1:8642/${'a'.repeat(3_000_000)}`],
  ['whitespace', 'http://127.0.0.1:8642/ x'],
  ['a number', 8642],
  ['null', null],
  ['undefined', undefined],
  ['an object', { toString: () => SERVER }],
  ['an array', [SERVER]],
  ['__proto__', '__proto__'],
]

describe('desktop bridge handlers', () => {
  beforeEach(() => vi.clearAllMocks())

  it('has a handler and a validator for every channel of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual([...DESKTOP_CHANNELS].sort())
    expect(Object.keys(argumentValidators).sort()).toEqual([...DESKTOP_CHANNELS].sort())
  })

  it('answers the app itself on every channel', async () => {
    await expect(call('app:info', [])).resolves.toMatchObject({ shell: 'electron' })
    await expect(call('cache:key', [])).resolves.toEqual({ key: 'k', persistent: true })
    await call('credentials:load', [SERVER])
    await call('credentials:save', [SERVER, good])
    await call('credentials:clear', [SERVER])
    expect(credentials.load).toHaveBeenCalledWith(SERVER)
    expect(credentials.save).toHaveBeenCalledWith(SERVER, good)
    expect(credentials.clear).toHaveBeenCalledWith(SERVER)
  })

  describe.each(DESKTOP_CHANNELS)('%s', (channel) => {
    it.each(HOSTILE_SENDERS.map((sender) => [String(sender).slice(0, 60), sender]))('refuses the sender %s and runs nothing', async (_label, sender) => {
      await expect(call(channel, VALID_ARGS[channel], sender)).rejects.toThrow(`${channel}: refused, sender is not the workstation`)
      expect(credentials.load).not.toHaveBeenCalled()
      expect(credentials.save).not.toHaveBeenCalled()
      expect(credentials.clear).not.toHaveBeenCalled()
      expect(cacheKey).not.toHaveBeenCalled()
    })

    it('refuses a missing or an extra argument', async () => {
      await expect(call(channel, [...VALID_ARGS[channel], 'extra'])).rejects.toThrow(`${channel}: refused, invalid arguments`)
      if (VALID_ARGS[channel].length > 0) await expect(call(channel, VALID_ARGS[channel].slice(1))).rejects.toThrow(/invalid arguments/)
    })
  })

  it.each(HOSTILE_CREDENTIALS)('credentials:save refuses %s and stores nothing', async (_label, payload) => {
    await expect(call('credentials:save', [SERVER, payload])).rejects.toThrow('credentials:save: refused, invalid arguments')
    expect(credentials.save).not.toHaveBeenCalled()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it.each(HOSTILE_SERVER_URLS)('the credentials channels refuse a server URL that is %s', async (_label, url) => {
    await expect(call('credentials:load', [url])).rejects.toThrow(/invalid arguments/)
    await expect(call('credentials:clear', [url])).rejects.toThrow(/invalid arguments/)
    await expect(call('credentials:save', [url, good])).rejects.toThrow(/invalid arguments/)
    expect(credentials.load).not.toHaveBeenCalled()
    expect(credentials.save).not.toHaveBeenCalled()
    expect(credentials.clear).not.toHaveBeenCalled()
  })

  it('refuses a channel outside the contract even from the app', async () => {
    await expect(dispatchDesktopCall(handlers, '__proto__' as DesktopChannel, APP_PAGE, [], isAppUrl)).rejects.toThrow('refused: unknown channel')
    await expect(dispatchDesktopCall(handlers, 'constructor' as DesktopChannel, APP_PAGE, [], isAppUrl)).rejects.toThrow('refused: unknown channel')
  })

  it('stores a fresh object holding only the contract fields', async () => {
    const nullPrototype = Object.assign(Object.create(null) as object, good)
    await call('credentials:save', [SERVER, nullPrototype])
    const stored = credentials.save.mock.calls[0]![1]
    expect(stored).toEqual(good)
    expect(stored).not.toBe(nullPrototype)
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype)
  })

  it('never echoes a refused token in its error', async () => {
    const error = await call('credentials:save', [SERVER, { ...good, accessToken: 'SECRET-TOKEN', extra: 1 }]).catch((e: unknown) => e as Error)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).not.toContain('SECRET-TOKEN')
  })

  it('the preload exposes the bridge under the shared global name and only through invoke', () => {
    const preload = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8')
    expect(preload).toContain(`exposeInMainWorld('${DESKTOP_BRIDGE_GLOBAL}'`)
    expect(preload).not.toMatch(/ipcRenderer\.(send|sendSync|on|once|addListener)\(/)
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/)
    for (const channel of DESKTOP_CHANNELS) expect(preload).toContain(`'${channel}'`)
  })
})
