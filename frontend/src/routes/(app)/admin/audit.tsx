import { useSearchParams } from '@solidjs/router'
import { batch, createResource, createSignal, For, Show } from 'solid-js'
import { adminApi, type AuditEntry } from '../../../lib/api-admin.ts'
import { formatInstant } from '../../../lib/format.ts'
import { locale, t } from '../../../lib/i18n.ts'
import '../../../lib/messages/admin.ts'
import { settled } from '../../../lib/resource.ts'
import { messageOr } from '../../../lib/wording.ts'
import { currentCursor, firstPage } from '../../../components/admin/paging.ts'
import { AdminHeader, AdminTable, LoadError, LoadingSkeleton, PagedResults } from '../../../components/admin/screen.tsx'

/** The actions lib/accounts/audit.ts records, in the order an admin looks for them. */
const actions = [
  'role_change',
  'topic_refill',
  'unit_regenerate',
  'unit_retire',
  'unit_restore',
  'admin_create',
  'admin_promote',
  'register',
  'login_ok',
  'login_failed',
  'lockout',
  'refresh_reuse',
  'session_revoke',
  'logout_all',
  'password_reset_request',
  'password_reset',
  'email_verified',
  'account_delete',
  'external_provision',
]

const actionLabel = (action: string) => messageOr(`admin.action.${action}`, action)
const shortId = (id: string) => id.slice(0, 8)

/** Details as "key: value" pairs; a role change reads "learner → admin". */
function describe(entry: AuditEntry): string {
  const details = entry.details ?? {}
  if (entry.action === 'role_change' && typeof details.from === 'string' && typeof details.to === 'string') return `${details.from} → ${details.to}`
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ')
}

/** Who did what, when (in the viewer's time zone), newest first; filter by action or by one account. */
export default function Audit() {
  const [params, setParams] = useSearchParams<{ action?: string; user_id?: string }>()
  const [paging, setPaging] = createSignal(firstPage)
  const [page, { refetch }] = createResource(
    () => ({ action: params.action, userId: params.user_id, cursor: currentCursor(paging()) }),
    (query) => adminApi.audit({ action: query.action, userId: query.userId, cursor: query.cursor }),
  )

  /** A new filter starts again from the first page. */
  function filter(change: { action?: string; user_id?: string }) {
    batch(() => {
      setParams(change)
      setPaging(firstPage)
    })
  }

  return (
    <div class="page admin-page">
      <AdminHeader title={t('admin.audit.title')} />
      <div class="admin-search">
        <div class="field">
          <label for="audit-action">{t('admin.audit.action')}</label>
          <select id="audit-action" value={params.action ?? ''} onChange={(event) => filter({ action: event.currentTarget.value || undefined })}>
            <option value="">{t('admin.audit.anyAction')}</option>
            <For each={actions}>{(action) => <option value={action}>{actionLabel(action)}</option>}</For>
          </select>
        </div>
        <Show when={params.user_id}>
          <p class="small">
            {t('admin.audit.forUser', { id: shortId(params.user_id!) })}{' '}
            <button type="button" class="link-button" onClick={() => filter({ user_id: undefined })}>
              {t('admin.audit.allUsers')}
            </button>
          </p>
        </Show>
      </div>
      <LoadError error={page.error} onRetry={() => void refetch()} />
      <LoadingSkeleton when={page.loading && !page.latest} />
      <PagedResults page={settled(page)} none={t('admin.audit.none')} paging={paging()} onChange={setPaging} label={t('admin.audit.pages')}>
        <AdminTable captionId="audit-caption" caption={t('admin.audit.caption')} busy={page.loading}>
          <thead>
            <tr>
              <th scope="col">{t('admin.audit.when')}</th>
              <th scope="col">{t('admin.audit.action')}</th>
              <th scope="col">{t('admin.audit.actor')}</th>
              <th scope="col">{t('admin.audit.target')}</th>
              <th scope="col">{t('admin.audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={settled(page)?.items}>
              {(entry) => (
                <tr data-action={entry.action}>
                  <th scope="row">
                    <time datetime={entry.created_at}>{formatInstant(entry.created_at, locale())}</time>
                  </th>
                  <td>{actionLabel(entry.action)}</td>
                  <td>
                    <Show when={entry.actor_id} fallback={<span class="muted">{t('admin.audit.system')}</span>}>
                      <Show when={entry.actor_email} fallback={<code title={entry.actor_id!}>{shortId(entry.actor_id!)}</code>}>
                        <span title={entry.actor_id!}>{entry.actor_email}</span>
                      </Show>
                    </Show>
                    <Show when={entry.ip}>
                      <span class="cell-meta">{entry.ip}</span>
                    </Show>
                  </td>
                  <td>
                    <Show when={entry.target_email} fallback={<Show when={entry.target_user_id ?? entry.target} fallback="–">{(target) => <code title={target()}>{shortId(target())}</code>}</Show>}>
                      <span title={entry.target_user_id!}>{entry.target_email}</span>
                    </Show>
                  </td>
                  <td class="cell-details">{describe(entry) || '–'}</td>
                </tr>
              )}
            </For>
          </tbody>
        </AdminTable>
      </PagedResults>
    </div>
  )
}
