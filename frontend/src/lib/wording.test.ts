import { describe, expect, it } from 'vitest'
import { translate } from './i18n.ts'
import './messages/library.ts'
import './messages/admin.ts'
import { countText, messageOr, pluralCategory } from './wording.ts'

describe('streak wording', () => {
  it('uses each language’s plural forms', () => {
    const streak = (locale: 'en' | 'ru', count: number) => translate(locale, `today.streak.${pluralCategory(locale, count)}`, { count })
    expect(streak('en', 1)).toBe('1-day streak')
    expect(streak('en', 5)).toBe('5-day streak')
    expect(streak('ru', 1)).toBe('1 день подряд')
    expect(streak('ru', 3)).toBe('3 дня подряд')
    expect(streak('ru', 5)).toBe('5 дней подряд')
    expect(streak('ru', 21)).toBe('21 день подряд')
  })

  it('picks the form for a count in the current language', () => {
    expect(countText('today.streak', 1)).toBe('1-day streak')
    expect(countText('today.streak', 5)).toBe('5-day streak')
  })
})

describe('a message that may not exist', () => {
  it('is translated when the dictionary has it, else the fallback as it is', () => {
    expect(messageOr('admin.action.role_change', 'role_change')).toBe('Role changed')
    expect(messageOr('admin.action.something_new', 'something_new')).toBe('something_new')
  })
})
