import { A, type RouteSectionProps } from '@solidjs/router'
import { For, Show } from 'solid-js'
import { Icon } from '../../components/icons.tsx'
import { t, type MessageKey } from '../../lib/i18n.ts'
import '../../lib/messages/admin.ts'
import { user } from '../../lib/session.ts'
import '../../styles/admin.css'

const sections: { href: string; label: MessageKey }[] = [
  { href: '/admin', label: 'admin.nav.reservoirs' },
  { href: '/admin/costs', label: 'admin.nav.costs' },
  { href: '/admin/reports', label: 'admin.nav.reports' },
  { href: '/admin/users', label: 'admin.nav.users' },
  { href: '/admin/audit', label: 'admin.nav.audit' },
]

/**
 * The admin area: its section tabs and, for anyone who is not an admin, a plain "not allowed"
 * screen. The API refuses them too (403); this only spares them a page of errors.
 */
export default function AdminLayout(props: RouteSectionProps) {
  return (
    <Show when={user()?.role === 'admin'} fallback={<NotAllowed />}>
      <div class="admin">
        <nav class="admin-tabs" aria-label={t('admin.nav.label')}>
          <For each={sections}>
            {(section) => (
              <A href={section.href} end class="admin-tab" activeClass="admin-tab-active">
                {t(section.label)}
              </A>
            )}
          </For>
        </nav>
        {props.children}
      </div>
    </Show>
  )
}

function NotAllowed() {
  return (
    <div class="page">
      <section class="empty admin-denied" data-state="forbidden" aria-labelledby="admin-denied-title">
        <Icon name="shield" size={40} />
        <h1 id="admin-denied-title">{t('admin.denied.title')}</h1>
        <p>{t('admin.denied.text')}</p>
        <A href="/me" class="button button-primary">
          {t('admin.denied.back')}
        </A>
      </section>
    </div>
  )
}
