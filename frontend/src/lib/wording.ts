import { hasMessage, locale, t, type MessageKey } from './i18n.ts'

/** Wording helpers on top of lib/i18n.ts: plural forms, and a message that may not exist. */

export type PluralCategory = 'one' | 'few' | 'many' | 'other'

/**
 * The plural category of a count in a language (Russian has one/few/many: 1 день, 2 дня, 5 дней).
 * English uses one/other; the dictionaries carry all four for both.
 */
export function pluralCategory(locale: string, count: number): PluralCategory {
  const category = new Intl.PluralRules(locale).select(count)
  return category === 'one' || category === 'few' || category === 'many' ? category : 'other'
}

/** The keys that come in the four plural forms, named without the form (today.streak for today.streak.one …). */
export type CountKey = { [Key in MessageKey]: Key extends `${infer Base}.one` ? (`${Base}.${PluralCategory}` extends MessageKey ? Base : never) : never }[MessageKey]

/** `{base}.{category}` in the current language with `{count}` filled in: "1-day streak", "3 дня подряд". */
export function countText(base: CountKey, count: number): string {
  return t(`${base}.${pluralCategory(locale(), count)}` as MessageKey, { count })
}

/** The message under `key` in the current language, or `fallback` (e.g. the server's own word) when there is none. */
export function messageOr(key: string, fallback: string): string {
  return hasMessage(key) ? t(key) : fallback
}
