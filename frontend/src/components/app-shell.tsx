import { A, useLocation } from '@solidjs/router'
import { createSignal, For, onCleanup, Show, type JSX } from 'solid-js'
import { t, type MessageKey } from '../lib/i18n.ts'
import { Icon, type IconName } from './icons.tsx'
import { mePaths } from './me-paths.ts'
import { ModeSwitcher } from './mode-switcher.tsx'

/**
 * The five tabs. Screens reached from the Me hub (progress, saved, settings, …) keep the Me tab
 * lit, so the learner always sees where they are; aria-current="page" stays on exact matches.
 */
const tabs: { href: string; icon: IconName; label: MessageKey; also?: readonly string[] }[] = [
  { href: '/', icon: 'home', label: 'nav.feed' },
  { href: '/topics', icon: 'sparkles', label: 'nav.topics' },
  { href: '/library', icon: 'folder', label: 'nav.library' },
  { href: '/today', icon: 'sun', label: 'nav.today' },
  { href: '/me', icon: 'user', label: 'nav.me', also: mePaths },
]

/** The signed-in frame: top bar with the mode switcher, the screen, and the bottom navigation. */
export function AppShell(props: { children: JSX.Element }) {
  const location = useLocation()
  const [online, setOnline] = createSignal(navigator.onLine)
  const update = () => setOnline(navigator.onLine)
  addEventListener('online', update)
  addEventListener('offline', update)
  onCleanup(() => {
    removeEventListener('online', update)
    removeEventListener('offline', update)
  })

  return (
    <div class="shell">
      <header class="topbar">
        <A href="/" class="brand" aria-label={t('app.name')}>
          <img src="/icon.svg" alt="" width="28" height="28" />
          <span class="brand-name">{t('app.name')}</span>
        </A>
        <ModeSwitcher />
      </header>
      <Show when={!online()}>
        <p class="offline-banner" role="status">
          <Icon name="wifiOff" size={18} />
          {t('app.offline')}
        </p>
      </Show>
      <main id="main" class="screen" tabindex="-1">
        {props.children}
      </main>
      <nav class="tabbar" aria-label={t('nav.label')}>
        <For each={tabs}>
          {(tab) => (
            <A
              href={tab.href}
              end={tab.href === '/'}
              class="tab"
              activeClass="tab-active"
              classList={{ 'tab-section': tab.also?.some((path) => location.pathname === path || location.pathname.startsWith(`${path}/`)) }}
            >
              <Icon name={tab.icon} />
              <span>{t(tab.label)}</span>
            </A>
          )}
        </For>
      </nav>
    </div>
  )
}
