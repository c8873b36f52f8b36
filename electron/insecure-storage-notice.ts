/**
 * Tells the reader, once per run, that this computer has no secure credential storage (on
 * Linux: no keyring, so Electron would fall back to a built-in key) and that the login is
 * therefore not remembered. The renderer only learns that saving failed; the reader must
 * see why, so the main process says it in a dialog of its own.
 */
import { InsecureStorageError, type CredentialStore } from './credential-store.ts'

export interface InsecureStorageMessage {
  title: string
  message: string
  detail: string
}

const MESSAGES: Record<'ja' | 'en', InsecureStorageMessage> = {
  ja: {
    title: '資格情報を保存できません',
    message: 'このコンピューターには安全な資格情報の保管場所（OS のキーチェーン）がないため、ログイン情報を保存しませんでした。',
    detail: '次回も起動時にログインが必要です。Linux では GNOME キーリングまたは KWallet を有効にすると保存できるようになります。',
  },
  en: {
    title: 'Credentials not saved',
    message: 'This computer offers no secure credential storage (OS keychain), so your login was not saved.',
    detail: 'You will be asked to log in again next time. On Linux, enable GNOME Keyring or KWallet to have it remembered.',
  },
}

/** The notice in the user's language: Japanese for a Japanese locale, English otherwise. */
export function insecureStorageMessage(locale: string): InsecureStorageMessage {
  return locale.toLowerCase().startsWith('ja') ? MESSAGES.ja : MESSAGES.en
}

/** Wraps a credential store so that the first refused save shows `notify` (the refusal still reaches the caller). */
export function withInsecureStorageNotice(store: CredentialStore, notify: () => void): CredentialStore {
  let told = false
  return {
    load: (serverUrl) => store.load(serverUrl),
    clear: (serverUrl) => store.clear(serverUrl),
    async save(serverUrl, credentials) {
      try {
        await store.save(serverUrl, credentials)
      } catch (error) {
        if (error instanceof InsecureStorageError && !told) {
          told = true
          notify()
        }
        throw error
      }
    },
  }
}
