/** Every string the UI shows, in Japanese (the default) and English, and how one is looked up. */
import { en } from './messages-en.ts'
import { ja, type MessageKey } from './messages-ja.ts'

export type { MessageKey }

export const LANGUAGES = ['ja', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

export const messages: Record<Language, Record<MessageKey, string>> = { ja, en }

/** Looks a message up and fills its {placeholders}. */
export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}
