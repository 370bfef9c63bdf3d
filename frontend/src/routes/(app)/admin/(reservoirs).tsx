import { createMemo, createResource, createSignal, For, Show } from 'solid-js'
import { adminApi, type Reservoir, type UnitFormat } from '../../../lib/api-admin.ts'
import { locale, t, type MessageKey } from '../../../lib/i18n.ts'
import '../../../lib/messages/admin.ts'
import { formatInstant, formatRatio } from '../../../lib/format.ts'
import { settled } from '../../../lib/resource.ts'
import { showToast } from '../../../lib/toast.ts'
import { adminErrorMessage } from '../../../components/admin/errors.ts'
import { formatCount } from '../../../components/admin/format.ts'
import { currentCursor, firstPage } from '../../../components/admin/paging.ts'
import { defaultRefillThreshold, isLowStock, sortReservoirs, toggleSort, type ReservoirSortKey } from '../../../components/admin/reservoirs.ts'
import { ActionsHeader, AdminHeader, AdminTable, LoadError, LoadingSkeleton, PagedResults } from '../../../components/admin/screen.tsx'

const formats: UnitFormat[] = ['text', 'quiz', 'audio', 'visual']
type RefillState = 'pending' | 'queued' | { error: string }

/** Every shared topic's reservoir: stock, what followers have left, how it is received; refill on demand. */
export default function Reservoirs() {
  const [paging, setPaging] = createSignal(firstPage)
  const [page, { refetch }] = createResource(paging, (current) => adminApi.reservoirs(currentCursor(current)))
  const [sort, setSort] = createSignal<{ key: ReservoirSortKey; direction: 'ascending' | 'descending' }>({ key: 'unseen', direction: 'ascending' })
  const [refills, setRefills] = createSignal<Record<string, RefillState>>({})
  const threshold = () => settled(page)?.refill_threshold ?? defaultRefillThreshold
  const rows = createMemo(() => sortReservoirs(settled(page)?.items ?? [], sort().key, sort().direction))
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
      <AdminHeader title={t('admin.reservoirs.title')} intro={t('admin.reservoirs.intro', { threshold: threshold() })} />
      <LoadError error={page.error} onRetry={() => void refetch()} />
      <LoadingSkeleton when={page.loading && !page.latest}>
        <p class="visually-hidden" role="status">
          {t('app.loading')}
        </p>
      </LoadingSkeleton>
      <PagedResults page={settled(page)} none={t('admin.reservoirs.none')} paging={paging()} onChange={setPaging} label={t('admin.reservoirs.pages')}>
        <p class="small" role="status">
          {lowCount() > 0 ? t('admin.reservoirs.lowCount', { count: lowCount() }) : t('admin.reservoirs.allStocked')}
        </p>
        <AdminTable captionId="reservoirs-caption" caption={t('admin.reservoirs.caption')} busy={page.loading}>
          <thead>
            <tr>
              <SortHeader key="title" label="admin.reservoirs.topic" />
              <SortHeader key="stock" label="admin.reservoirs.stock" class="numeric" />
              <SortHeader key="unseen" label="admin.reservoirs.unseen" class="numeric" />
              <SortHeader key="reports" label="admin.reservoirs.reports" class="numeric" />
              <th scope="col">{t('admin.reservoirs.reception')}</th>
              <SortHeader key="last_batch" label="admin.reservoirs.lastRefill" />
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(row) => <ReservoirRow row={row} threshold={threshold()} state={refills()[row.topic.id]} onRefill={() => void refill(row)} />}
            </For>
          </tbody>
        </AdminTable>
      </PagedResults>
    </div>
  )
}

/** One topic's reservoir: stock by format, unseen against the refill threshold, reception, and its refill button. */
function ReservoirRow(props: { row: Reservoir; threshold: number; state: RefillState | undefined; onRefill: () => void }) {
  const low = () => isLowStock(props.row, props.threshold)
  return (
    <tr classList={{ 'row-low': low() }} data-topic-id={props.row.topic.id}>
      <th scope="row">
        <span class="cell-title">{props.row.topic.title}</span>
        <span class="cell-meta">
          {props.row.topic.language} · {t('admin.reservoirs.followers', { count: props.row.followers })}
        </span>
      </th>
      <td class="numeric">
        <span class="cell-title">{formatCount(props.row.stock, locale())}</span>
        <span class="cell-meta">
          {formats
            .filter((format) => (props.row.stock_by_format?.[format] ?? 0) > 0)
            .map((format) => `${props.row.stock_by_format![format]} ${t(`admin.format.${format}`)}`)
            .join(' · ') || '–'}
        </span>
        <Show when={props.row.hidden > 0}>
          <span class="cell-meta">{t('admin.reservoirs.hidden', { count: props.row.hidden })}</span>
        </Show>
      </td>
      <td class="numeric">
        <span class="cell-title">
          {props.row.unseen_min} / {props.threshold}
        </span>
        <Show when={low()}>
          <span class="badge badge-low">{t('admin.reservoirs.low')}</span>
        </Show>
      </td>
      <td class="numeric">{props.row.open_reports > 0 ? <span class="badge badge-warn">{props.row.open_reports}</span> : '0'}</td>
      <td>
        <span class="cell-meta">{t('admin.reservoirs.served', { count: formatCount(props.row.served, locale()) })}</span>
        <span class="cell-meta">{t('admin.reservoirs.likeRate', { rate: formatRatio(props.row.like_rate, locale()) })}</span>
        <span class="cell-meta">{t('admin.reservoirs.accuracy', { rate: formatRatio(props.row.quiz_accuracy, locale()) })}</span>
      </td>
      <td>{props.row.last_batch_at ? formatInstant(props.row.last_batch_at, locale()) : <span class="muted">{t('admin.reservoirs.never')}</span>}</td>
      <td>
        <button
          type="button"
          class="button button-small"
          disabled={props.state === 'pending'}
          aria-busy={props.state === 'pending'}
          onClick={() => props.onRefill()}
        >
          {props.state === 'pending' ? t('admin.working') : props.state === 'queued' ? t('admin.reservoirs.refillAgain') : t('admin.reservoirs.refill')}
          <span class="visually-hidden">: {props.row.topic.title}</span>
        </button>
        <Show when={props.state === 'queued'}>
          <span class="cell-meta ok">{t('admin.reservoirs.queued')}</span>
        </Show>
        <Show when={typeof props.state === 'object'}>
          <span class="cell-meta bad" role="alert">
            {(props.state as { error: string }).error}
          </span>
        </Show>
      </td>
    </tr>
  )
}
