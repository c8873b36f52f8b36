import { describe, expect, it } from 'vitest'
import { messages, translate, type MessageKey } from './messages.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('UI messages', () => {
  it('has every key in Japanese and English with the same placeholders', () => {
    const jaKeys = Object.keys(messages.ja).sort()
    expect(Object.keys(messages.en).sort()).toEqual(jaKeys)
    for (const key of jaKeys as MessageKey[]) {
      expect(messages.en[key].trim(), key).not.toBe('')
      expect(placeholders(messages.en[key]), key).toEqual(placeholders(messages.ja[key]))
    }
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'worklist.count', { count: 3 })).toBe('3 studies')
    expect(translate('ja', 'worklist.count', { count: 3 })).toBe('3 件')
    expect(translate('en', 'worklist.count')).toBe('{count} studies')
  })
})
