/** The UI language, remembered on this computer; Japanese by default. */
import { create } from 'zustand'
import { LANGUAGES, translate, type Language, type MessageKey } from './messages.ts'

const STORAGE_KEY = 'reading-workstation.language'

function initialLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY)
  return LANGUAGES.includes(stored as Language) ? (stored as Language) : 'ja'
}

interface LanguageState {
  language: Language
  setLanguage(language: Language): void
}

export const useLanguageStore = create<LanguageState>((set) => ({
  language: initialLanguage(),
  setLanguage(language) {
    globalThis.localStorage?.setItem(STORAGE_KEY, language)
    document.documentElement.lang = language
    set({ language })
  },
}))

/** The translate function for the current language. */
export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const language = useLanguageStore((s) => s.language)
  return (key, params) => translate(language, key, params)
}
