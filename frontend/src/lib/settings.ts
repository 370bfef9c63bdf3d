import { createSignal } from 'solid-js'
import { api, ApiError } from './api.ts'
import { locale, pickLocale, setLocale, type Locale } from './i18n.ts'
import type { ContextMode } from './types.ts'

/**
 * Device settings: theme, language and context mode, kept in localStorage so they apply before
 * the API answers (and offline). The mode and the language are also sent to the server, which
 * needs them to pick units; until `PUT /me/preferences` exists the mode stays local.
 */

export type Theme = 'system' | 'light' | 'dark'

interface Stored {
  theme?: Theme
  locale?: Locale
  mode?: ContextMode
}

const storageKey = 'noleij.settings'

function read(): Stored {
  try {
    return JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Stored
  } catch {
    return {}
  }
}

function write(changes: Stored) {
  localStorage.setItem(storageKey, JSON.stringify({ ...read(), ...changes }))
}

const [theme, setThemeSignal] = createSignal<Theme>('system')
const [mode, setModeSignal] = createSignal<ContextMode>('idle')
export { theme, mode }

const themeColors = { light: '#ffffff', dark: '#0f1115' }

function applyTheme(next: Theme) {
  const dark = next === 'dark' || (next === 'system' && matchMedia('(prefers-color-scheme: dark)').matches)
  const root = document.documentElement
  root.dataset.theme = dark ? 'dark' : 'light'
  root.style.colorScheme = dark ? 'dark' : 'light'
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', dark ? themeColors.dark : themeColors.light)
}

/** Resolves once the language's strings are loaded, so the first render can wait for them. */
export function loadSettings(): Promise<void> {
  const stored = read()
  setThemeSignal(stored.theme ?? 'system')
  applyTheme(theme())
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme(theme()))
  // Strings that cannot be loaded (an outdated offline cache) leave the app in English, not blank.
  const language = setLocale(stored.locale ?? pickLocale(navigator.languages ?? [navigator.language])).catch(() => setLocale('en'))
  setModeSignal(stored.mode ?? 'idle')
  return language
}

export function setTheme(next: Theme) {
  setThemeSignal(next)
  write({ theme: next })
  applyTheme(next)
}

let preferencesEndpoint = true

export async function setMode(next: ContextMode) {
  setModeSignal(next)
  write({ mode: next })
  if (!preferencesEndpoint) return
  try {
    await api.setPreferences({ context_mode: next })
  } catch (error) {
    // 404/405: the endpoint is not deployed yet; the mode still travels with every feed request.
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) preferencesEndpoint = false
  }
}

export async function changeLocale(next: Locale, options: { signedIn: boolean }) {
  const switched = setLocale(next)
  write({ locale: next })
  // New units are written in the learner's language, so the server has to know it.
  if (options.signedIn) await api.updateMe({ locale: next }).catch(() => {})
  await switched
}

export function currentLocale(): Locale {
  return locale()
}
