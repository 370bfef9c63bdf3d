import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { dictionariesForTest, loadLocale, locale, pickLocale, setLocale, translate } from './i18n.ts'
import * as admin from './messages/admin.ts'
import * as driving from './messages/driving.ts'
import * as library from './messages/library.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()
const areas = { admin, driving, library }
const prefixOf = (key: string) => key.split('.')[0]!

describe('the dictionaries', () => {
  it('translate every English string into Russian with the same placeholders', async () => {
    await loadLocale('ru')
    const { en, ru } = dictionariesForTest
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort())
    for (const [key, english] of Object.entries(en)) {
      const russian = ru[key as keyof typeof en] ?? ''
      expect(russian.trim(), key).not.toBe('')
      expect(placeholders(russian), key).toEqual(placeholders(english))
    }
  })

  it('are imported by every module that uses an area’s strings', () => {
    // A key's first part names its area (or the core), so a module's keys tell which areas it needs.
    const owners = new Map<string, string>()
    for (const key of Object.keys(dictionariesForTest.en)) {
      const owner = Object.entries(areas).find(([, area]) => key in area.en)?.[0] ?? 'core'
      expect(owners.get(prefixOf(key)) ?? owner, key).toBe(owner)
      owners.set(prefixOf(key), owner)
    }
    const src = new URL('../', import.meta.url)
    const modules = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => /\.tsx?$/.test(file) && !file.includes('.test.') && !/^lib[\\/](i18n\.ts|messages[\\/])/.test(file))
    const missing: string[] = []
    for (const [name, area] of Object.entries(areas)) {
      const uses = new RegExp(`['"\`](?:${[...new Set(Object.keys(area.en).map(prefixOf))].join('|')})\\.`)
      for (const file of modules) {
        const source = readFileSync(new URL(file, src), 'utf8')
        if (uses.test(source) && !source.includes(`/messages/${name}.ts'`)) missing.push(`${file} needs messages/${name}.ts`)
      }
    }
    expect(missing).toEqual([])
  })

  it('switches to the language asked for last, whichever loads first', async () => {
    await Promise.all([setLocale('ru'), setLocale('en')])
    expect(locale()).toBe('en')
  })

  it('fills placeholders and picks the first supported language', async () => {
    await loadLocale('ru')
    expect(translate('ru', 'topics.added', { title: 'Стоицизм' })).toBe('«Стоицизм» теперь в ленте.')
    expect(pickLocale(['de-DE', 'ru-RU', 'en'])).toBe('ru')
    expect(pickLocale(['fr'])).toBe('en')
  })
})
