import { A } from '@solidjs/router'
import { For, Show } from 'solid-js'
import { Icon, type IconName } from '../../components/icons.tsx'
import { mePaths, type MePath } from '../../components/me-paths.ts'
import { t, type MessageKey } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import { user } from '../../lib/session.ts'
import '../../styles/library.css'

/** Each of the hub's places (in the order of components/me-paths.ts) with its icon and words. */
const details: Record<MePath, { icon: IconName; label: MessageKey; hint: MessageKey; adminOnly?: boolean }> = {
  '/progress': { icon: 'chart', label: 'me.progress', hint: 'me.progressHint' },
  '/saved': { icon: 'bookmark', label: 'me.saved', hint: 'me.savedHint' },
  '/offline': { icon: 'download', label: 'me.offline', hint: 'me.offlineHint' },
  '/driving': { icon: 'car', label: 'me.driving', hint: 'me.drivingHint' },
  '/settings': { icon: 'sliders', label: 'me.settings', hint: 'me.settingsHint' },
  '/admin': { icon: 'shield', label: 'me.admin', hint: 'me.adminHint', adminOnly: true },
}
const places = mePaths.map((href) => ({ href, ...details[href] }))

/** The Me hub: who is signed in, and everything personal one tap away. */
export default function Me() {
  // The server checks the role on every admin request; hiding the link only keeps the hub honest.
  const visible = () => places.filter((place) => !place.adminOnly || user()?.role === 'admin')
  return (
    <div class="page me">
      <header class="me-header">
        <span class="me-avatar" aria-hidden="true">
          {(user()?.name || user()?.email || '?').trim().charAt(0).toUpperCase()}
        </span>
        <div class="me-who">
          <h1>{user()?.name || t('me.title')}</h1>
          <Show when={user()?.email}>
            <p class="muted me-email">{user()!.email}</p>
          </Show>
          <Show when={user() && user()!.role !== 'learner'}>
            <span class="badge">{t(`me.role.${user()!.role}`)}</span>
          </Show>
        </div>
      </header>
      <nav aria-labelledby="me-places">
        <h2 id="me-places" class="visually-hidden">
          {t('me.places')}
        </h2>
        <ul class="place-list">
          <For each={visible()}>
            {(place) => (
              <li>
                <A href={place.href} class="place">
                  <span class="place-icon">
                    <Icon name={place.icon} />
                  </span>
                  <span class="place-text">
                    <span class="place-label">{t(place.label)}</span>
                    <span class="place-hint">{t(place.hint)}</span>
                  </span>
                  <Icon name="chevronRight" size={20} />
                </A>
              </li>
            )}
          </For>
        </ul>
      </nav>
    </div>
  )
}
