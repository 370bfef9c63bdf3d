import { A } from '@solidjs/router'
import { batch, createResource, createSignal, For, Show } from 'solid-js'
import { adminApi, type AdminUser } from '../../../lib/api-admin.ts'
import { locale, t } from '../../../lib/i18n.ts'
import '../../../lib/messages/admin.ts'
import '../../../lib/messages/library.ts'
import { formatInstant } from '../../../lib/format.ts'
import { settled } from '../../../lib/resource.ts'
import { updateUser, user as me } from '../../../lib/session.ts'
import { showToast } from '../../../lib/toast.ts'
import type { Role } from '../../../lib/types.ts'
import { ConfirmDialog, type ConfirmRequest } from '../../../components/admin/confirm-dialog.tsx'
import { currentCursor, firstPage } from '../../../components/admin/paging.ts'
import { ActionsHeader, AdminHeader, AdminTable, LoadError, LoadingSkeleton, PagedResults } from '../../../components/admin/screen.tsx'

const roles: Role[] = ['learner', 'mentor', 'admin']

/**
 * Accounts: search by email or name, filter by role, change a role after confirming. The server
 * keeps the rules (e.g. the last admin cannot be demoted) and its refusal is shown as it says it.
 */
export default function Users() {
  const [query, setQuery] = createSignal<{ q: string; role?: Role }>({ q: '' })
  const [paging, setPaging] = createSignal(firstPage)
  const [page, { refetch, mutate }] = createResource(
    () => ({ ...query(), cursor: currentCursor(paging()) }),
    (options) => adminApi.users(options),
  )
  const [drafts, setDrafts] = createSignal<Record<string, Role>>({})
  const [confirming, setConfirming] = createSignal<ConfirmRequest | null>(null)
  let search: HTMLInputElement | undefined
  let roleFilter: HTMLSelectElement | undefined

  function applySearch(event: SubmitEvent) {
    event.preventDefault()
    batch(() => {
      setQuery({ q: search?.value.trim() ?? '', role: (roleFilter?.value || undefined) as Role | undefined })
      setPaging(firstPage)
    })
  }

  function askRoleChange(account: AdminUser) {
    const next = drafts()[account.id]
    if (!next || next === account.role) return
    const who = account.email ?? account.name
    const self = account.id === me()?.id
    setConfirming({
      title: t('admin.users.confirmTitle'),
      body: (
        <>
          <p>{t('admin.users.confirm', { who, from: t(`me.role.${account.role}`), to: t(`me.role.${next}`) })}</p>
          <Show when={self}>
            <p class="form-error">{t('admin.users.confirmSelf')}</p>
          </Show>
        </>
      ),
      confirmLabel: t('admin.users.change'),
      danger: account.role === 'admin' || next === 'admin',
      run: async () => {
        const updated = await adminApi.setRole(account.id, next)
        mutate((current) => current && { ...current, items: current.items.map((item) => (item.id === updated.id ? updated : item)) })
        setDrafts(({ [account.id]: _, ...rest }) => rest)
        showToast(t('admin.users.changed', { who, role: t(`me.role.${updated.role}`) }))
        // Demoting yourself ends your admin access at the next request; reflect it now.
        if (self && me()) updateUser({ ...me()!, role: updated.role })
      },
    })
  }

  return (
    <div class="page admin-page">
      <AdminHeader title={t('admin.users.title')} />
      <form class="admin-search" role="search" onSubmit={applySearch}>
        <div class="field">
          <label for="user-search">{t('admin.users.search')}</label>
          <input id="user-search" type="search" ref={(element) => (search = element)} autocomplete="off" placeholder={t('admin.users.searchHint')} />
        </div>
        <div class="field">
          <label for="user-role">{t('admin.users.roleFilter')}</label>
          <select id="user-role" ref={(element) => (roleFilter = element)}>
            <option value="">{t('admin.users.anyRole')}</option>
            <For each={roles}>{(role) => <option value={role}>{t(`me.role.${role}`)}</option>}</For>
          </select>
        </div>
        <button type="submit" class="button button-primary">
          {t('admin.users.apply')}
        </button>
      </form>
      <LoadError error={page.error} onRetry={() => void refetch()} />
      <LoadingSkeleton when={page.loading && !page.latest} />
      <PagedResults page={settled(page)} none={t('admin.users.none')} paging={paging()} onChange={setPaging} label={t('admin.users.pages')}>
        <AdminTable captionId="users-caption" caption={t('admin.users.caption')} busy={page.loading} stacked>
          <thead>
            <tr>
              <th scope="col">{t('admin.users.account')}</th>
              <th scope="col">{t('admin.users.role')}</th>
              <th scope="col">{t('admin.users.state')}</th>
              <th scope="col">{t('admin.users.joined')}</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            <For each={settled(page)?.items}>
              {(account) => {
                const draft = () => drafts()[account.id] ?? account.role
                const selectId = `role-${account.id}`
                return (
                  <tr data-user-id={account.id}>
                    <th scope="row">
                      <span class="cell-title">{account.name || account.email}</span>
                      <Show when={account.name && account.email}>
                        <span class="cell-meta">{account.email}</span>
                      </Show>
                      <Show when={account.id === me()?.id}>
                        <span class="cell-meta">{t('admin.users.you')}</span>
                      </Show>
                    </th>
                    <td data-label={t('admin.users.role')}>
                      <span class="badge" data-role={account.role}>
                        {t(`me.role.${account.role}`)}
                      </span>
                    </td>
                    <td data-label={t('admin.users.state')}>
                      <div>
                        <span class="cell-meta">{account.email_verified ? t('admin.users.verified') : t('admin.users.unverified')}</span>
                        <Show when={account.locked_until && Date.parse(account.locked_until) > Date.now()}>
                          <span class="cell-meta bad">{t('admin.users.locked', { until: formatInstant(account.locked_until!, locale()) })}</span>
                        </Show>
                        <Show when={account.external}>
                          <span class="cell-meta">{t('admin.users.external')}</span>
                        </Show>
                      </div>
                    </td>
                    <td data-label={t('admin.users.joined')}>{formatInstant(account.created_at, locale())}</td>
                    <td class="cell-actions">
                      <div class="role-change">
                        <label class="visually-hidden" for={selectId}>
                          {t('admin.users.newRole', { who: account.email ?? account.name })}
                        </label>
                        <select id={selectId} class="select-small" value={draft()} onChange={(event) => setDrafts((current) => ({ ...current, [account.id]: event.currentTarget.value as Role }))}>
                          <For each={roles}>{(role) => <option value={role}>{t(`me.role.${role}`)}</option>}</For>
                        </select>
                        <button type="button" class="button button-small" disabled={draft() === account.role} onClick={() => askRoleChange(account)}>
                          {t('admin.users.change')}
                          <span class="visually-hidden">: {account.email ?? account.name}</span>
                        </button>
                      </div>
                      <A class="small" href={`/admin/audit?user_id=${encodeURIComponent(account.id)}`}>
                        {t('admin.users.history')}
                        <span class="visually-hidden">: {account.email ?? account.name}</span>
                      </A>
                    </td>
                  </tr>
                )
              }}
            </For>
          </tbody>
        </AdminTable>
      </PagedResults>
      <ConfirmDialog request={confirming()} onClose={() => setConfirming(null)} />
    </div>
  )
}
