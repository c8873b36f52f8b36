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
} from '../shared/desktop-bridge.ts'
import type { CredentialStore } from './credential-store.ts'

export type DesktopHandlers = { [C in DesktopChannel]: (...args: Parameters<DesktopChannels[C]>) => ReturnType<DesktopChannels[C]> }

/** Argument validators, one per channel: true when the arguments are acceptable. */
export const argumentValidators: { [C in DesktopChannel]: (args: unknown[]) => boolean } = {
  'app:info': (args) => args.length === 0,
  'credentials:load': (args) => args.length === 1 && isValidServerUrl(args[0]),
  'credentials:save': (args) => args.length === 2 && isValidServerUrl(args[0]) && isValidStoredCredentials(args[1]),
  'credentials:clear': (args) => args.length === 1 && isValidServerUrl(args[0]),
  'cache:key': (args) => args.length === 0,
}

export function createDesktopHandlers(deps: { appInfo: () => AppInfo; credentials: CredentialStore; cacheKey: () => Promise<CacheKey> }): DesktopHandlers {
  return {
    'app:info': async () => deps.appInfo(),
    'credentials:load': (serverUrl) => deps.credentials.load(serverUrl),
    'credentials:save': (serverUrl, credentials) => deps.credentials.save(serverUrl, credentials),
    'credentials:clear': (serverUrl) => deps.credentials.clear(serverUrl),
    'cache:key': () => deps.cacheKey(),
  }
}

/**
 * Runs one IPC call: refuses senders that are not the app's own frames and arguments that
 * do not validate, with an Error that names the channel.
 */
export async function dispatchDesktopCall(
  handlers: DesktopHandlers,
  channel: DesktopChannel,
  senderUrl: string | undefined,
  args: unknown[],
  isTrustedSender: (url: string) => boolean,
): Promise<unknown> {
  if (!senderUrl || !isTrustedSender(senderUrl)) throw new Error(`${channel}: refused, sender is not the workstation`)
  if (!argumentValidators[channel](args)) throw new Error(`${channel}: refused, invalid arguments`)
  const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>
  return handler(...args)
}
