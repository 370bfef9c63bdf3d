import { createMemo, createResource, createSignal, For, Show } from 'solid-js'
import { adminApi, type Reservoir, type UnitFormat } from '../../../lib/api-admin.ts'
import { locale, t, type MessageKey } from '../../../lib/i18n.ts'
import { showToast } from '../../../lib/toast.ts'
import { adminErrorMessage } from '../../../components/admin/errors.ts'
import { formatCount, formatInstant, formatRatio } from '../../../components/admin/format.ts'
import { Pager } from '../../../components/admin/pager.tsx'
import { currentCursor, firstPage } from '../../../components/admin/paging.ts'
import { defaultRefillThreshold, isLowStock, sortReservoirs, toggleSort, type ReservoirSortKey } from '../../../components/admin/reservoirs.ts'

const formats: UnitFormat[] = ['text', 'quiz', 'audio', 'visual']
type RefillState = 'pending' | 'queued' | { error: string }

/** Every shared topic's reservoir: stock, what followers have left, how it is received; refill on demand. */
export default function Reservoirs() {
  const [paging, setPaging] = createSignal(firstPage)
  const [page, { refetch }] = createResource(paging, (current) => adminApi.reservoirs(currentCursor(current)))
  const [sort, setSort] = createSignal<{ key: ReservoirSortKey; direction: 'ascending' | 'descending' }>({ key: 'unseen', direction: 'ascending' })
  const [refills, setRefills] = createSignal<Record<string, RefillState>>({})
  const threshold = () => page.latest?.refill_threshold ?? defaultRefillThreshold
  const rows = createMemo(() => sortReservoirs(page.latest?.items ?? [], sort().key, sort().direction))
  const lowCount = () => rows().filter((row) => isLowStock(row, threshold())).length

  async function refill(reservoir: Reservoir) {
    const id = reservoir.topic.id
    setRefills((current) => ({ ...current, [id]: 'pending' }))
    try {
      await adminApi.refill(id)
      setRefills((current) => ({ ...current, [id]: 'queued' }))
      showToast(t('admin.reservoirs.refillQueued', { title: reservoir.topic.title }))
    } catch (error) {
      setRefills((current) => ({ ...current, [id]: { error: adminErrorMessage(error) } }))
    }
  }

  const SortHeader = (props: { key: ReservoirSortKey; label: MessageKey; class?: string }) => (
    <th scope="col" class={props.class} aria-sort={sort().key === props.key ? sort().direction : 'none'}>
      <button type="button" class="sort-button" onClick={() => setSort(toggleSort(sort(), props.key))}>
        {t(props.label)}
        <span aria-hidden="true" class="sort-mark">
          {sort().key === props.key ? (sort().direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  )

  return (
    <div class="page admin-page">
      <header class="admin-header">
        <h1>{t('admin.reservoirs.title')}</h1>
        <p class="muted small">{t('admin.reservoirs.intro', { threshold: threshold() })}</p>
      </header>
      <Show when={page.error}>
        <p class="form-error" role="alert">
          {adminErrorMessage(page.error)}
        </p>
        <button type="button" class="button" onClick={() => void refetch()}>
          {t('admin.retry')}
        </button>
      </Show>
      <Show when={page.latest}>
        <Show when={rows().length > 0} fallback={<p class="muted">{t('admin.reservoirs.none')}</p>}>
          <p class="small" role="status">
            {lowCount() > 0 ? t('admin.reservoirs.lowCount', { count: lowCount() }) : t('admin.reservoirs.allStocked')}
          </p>
          <div class="admin-scroll" role="region" aria-labelledby="reservoirs-caption" tabindex="0">
            <table class="admin-table" aria-busy={page.loading}>
              <caption id="reservoirs-caption" class="visually-hidden">
                {t('admin.reservoirs.caption')}
              </caption>
              <thead>
                <tr>
                  <SortHeader key="title" label="admin.reservoirs.topic" />
                  <SortHeader key="stock" label="admin.reservoirs.stock" class="numeric" />
                  <SortHeader key="unseen" label="admin.reservoirs.unseen" class="numeric" />
                  <SortHeader key="reports" label="admin.reservoirs.reports" class="numeric" />
                  <th scope="col">{t('admin.reservoirs.reception')}</th>
                  <SortHeader key="last_batch" label="admin.reservoirs.lastRefill" />
                  <th scope="col">
                    <span class="visually-hidden">{t('admin.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(row) => {
                    const low = () => isLowStock(row, threshold())
                    const state = () => refills()[row.topic.id]
                    return (
                      <tr classList={{ 'row-low': low() }} data-topic-id={row.topic.id}>
                        <th scope="row">
                          <span class="cell-title">{row.topic.title}</span>
                          <span class="cell-meta">
                            {row.topic.language} · {t('admin.reservoirs.followers', { count: row.followers })}
                          </span>
                        </th>
                        <td class="numeric">
                          <span class="cell-title">{formatCount(row.stock, locale())}</span>
                          <span class="cell-meta">
                            {formats
                              .filter((format) => (row.stock_by_format?.[format] ?? 0) > 0)
                              .map((format) => `${row.stock_by_format![format]} ${t(`admin.format.${format}`)}`)
                              .join(' · ') || '–'}
                          </span>
                          <Show when={row.hidden > 0}>
                            <span class="cell-meta">{t('admin.reservoirs.hidden', { count: row.hidden })}</span>
                          </Show>
                        </td>
                        <td class="numeric">
                          <span class="cell-title">
                            {row.unseen_min} / {threshold()}
                          </span>
                          <Show when={low()}>
                            <span class="badge badge-low">{t('admin.reservoirs.low')}</span>
                          </Show>
                        </td>
                        <td class="numeric">{row.open_reports > 0 ? <span class="badge badge-warn">{row.open_reports}</span> : '0'}</td>
                        <td>
                          <span class="cell-meta">{t('admin.reservoirs.served', { count: formatCount(row.served, locale()) })}</span>
                          <span class="cell-meta">{t('admin.reservoirs.likeRate', { rate: formatRatio(row.like_rate, locale()) })}</span>
                          <span class="cell-meta">{t('admin.reservoirs.accuracy', { rate: formatRatio(row.quiz_accuracy, locale()) })}</span>
                        </td>
                        <td>{row.last_batch_at ? formatInstant(row.last_batch_at, locale()) : <span class="muted">{t('admin.reservoirs.never')}</span>}</td>
                        <td>
                          <button
                            type="button"
                            class="button button-small"
                            disabled={state() === 'pending'}
                            aria-busy={state() === 'pending'}
                            onClick={() => void refill(row)}
                          >
                            {state() === 'pending' ? t('admin.working') : state() === 'queued' ? t('admin.reservoirs.refillAgain') : t('admin.reservoirs.refill')}
                            <span class="visually-hidden">: {row.topic.title}</span>
                          </button>
                          <Show when={state() === 'queued'}>
                            <span class="cell-meta ok">{t('admin.reservoirs.queued')}</span>
                          </Show>
                          <Show when={typeof state() === 'object'}>
                            <span class="cell-meta bad" role="alert">
                              {(state() as { error: string }).error}
                            </span>
                          </Show>
                        </td>
                      </tr>
                    )
                  }}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
        <Pager paging={paging()} nextCursor={page.latest?.next_cursor} onChange={setPaging} label={t('admin.reservoirs.pages')} />
      </Show>
      <Show when={page.loading && !page.latest}>
        <div class="skeleton admin-skeleton" aria-hidden="true" />
        <p class="visually-hidden" role="status">
          {t('app.loading')}
        </p>
      </Show>
    </div>
  )
}
