/**
 * Main-process handlers for the desktop bridge, typed against the shared contract: a
 * channel without a handler fails to compile. Every call is checked for its sender and
 * arguments before it runs.
 */
import {
  isValidServerUrl,
  isValidStoredCredentials,
  type AppInfo,
  type CacheKey,
  type DesktopChannel,
  type DesktopChannels,
  type StoredCredentials,
} from '../shared/desktop-bridge.ts'
import type { CredentialStore } from './credential-store.ts'

export type DesktopHandlers = { [C in DesktopChannel]: (...args: Parameters<DesktopChannels[C]>) => ReturnType<DesktopChannels[C]> }

const CREDENTIAL_KEYS = ['accessToken', 'expiresAt', 'username'] as const
/** An ISO 8601 moment is at most ~30 characters; anything far longer is not a date. */
const MAX_EXPIRES_AT_LENGTH = 64

/**
 * The shared schema, held strictly: a plain object (no odd prototype, no accessors) with
 * exactly the contract's keys, so `__proto__`/`constructor` payloads and smuggled extra
 * fields never reach the store or the encrypted file.
 */
function isStrictStoredCredentials(value: unknown): value is StoredCredentials {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  if (prototype !== Object.prototype && prototype !== null) return false
  const keys = Reflect.ownKeys(value)
  if (keys.length !== CREDENTIAL_KEYS.length || !CREDENTIAL_KEYS.every((key) => keys.includes(key))) return false
  const descriptors = Object.getOwnPropertyDescriptors(value)
  if (!CREDENTIAL_KEYS.every((key) => 'value' in descriptors[key]!)) return false
  const { expiresAt } = value as Record<string, unknown>
  return typeof expiresAt === 'string' && expiresAt.length <= MAX_EXPIRES_AT_LENGTH && isValidStoredCredentials(value)
}

/** Argument validators, one per channel: true when the arguments are acceptable. */
export const argumentValidators: { [C in DesktopChannel]: (args: readonly unknown[]) => boolean } = {
  'app:info': (args) => args.length === 0,
  'credentials:load': (args) => args.length === 1 && isValidServerUrl(args[0]),
  'credentials:save': (args) => args.length === 2 && isValidServerUrl(args[0]) && isStrictStoredCredentials(args[1]),
  'credentials:clear': (args) => args.length === 1 && isValidServerUrl(args[0]),
  'cache:key': (args) => args.length === 0,
}

export function createDesktopHandlers(deps: { appInfo: () => AppInfo; credentials: CredentialStore; cacheKey: () => Promise<CacheKey> }): DesktopHandlers {
  return {
    'app:info': async () => deps.appInfo(),
    'credentials:load': (serverUrl) => deps.credentials.load(serverUrl),
    // a fresh object of the contract's fields only: nothing else the caller attached is kept
    'credentials:save': (serverUrl, { username, accessToken, expiresAt }) => deps.credentials.save(serverUrl, { username, accessToken, expiresAt }),
    'credentials:clear': (serverUrl) => deps.credentials.clear(serverUrl),
    'cache:key': () => deps.cacheKey(),
  }
}

/**
 * Runs one IPC call: refuses senders that are not the app's own frames and arguments that
 * do not validate, with an Error that names the channel (never the arguments: they may
 * hold a token).
 */
export async function dispatchDesktopCall(
  handlers: DesktopHandlers,
  channel: DesktopChannel,
  senderUrl: string | undefined,
  args: unknown[],
  isTrustedSender: (url: string) => boolean,
): Promise<unknown> {
  if (typeof senderUrl !== 'string' || !isTrustedSender(senderUrl)) throw new Error(`${channel}: refused, sender is not the workstation`)
  if (!Object.hasOwn(argumentValidators, channel)) throw new Error('refused: unknown channel')
  let valid = false
  try {
    valid = argumentValidators[channel](args)
  } catch {
    // a validator that throws on a hostile value (a revoked proxy, a throwing getter) refuses it
  }
  if (!valid) throw new Error(`${channel}: refused, invalid arguments`)
  const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>
  return handler(...args)
}
