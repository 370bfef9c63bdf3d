import { batch, createResource, createSignal, For, Show } from 'solid-js'
import { adminApi, type AdminUnit, type ReportedUnit, type UnitStatus } from '../../../lib/api-admin.ts'
import { formatInstant } from '../../../lib/format.ts'
import { locale, t } from '../../../lib/i18n.ts'
import '../../../lib/messages/admin.ts'
import { settled } from '../../../lib/resource.ts'
import { showToast } from '../../../lib/toast.ts'
import { messageOr } from '../../../lib/wording.ts'
import { ConfirmDialog, type ConfirmRequest } from '../../../components/admin/confirm-dialog.tsx'
import { adminErrorMessage } from '../../../components/admin/errors.ts'
import { currentCursor, firstPage } from '../../../components/admin/paging.ts'
import { AdminHeader, LoadError, LoadingSkeleton, PagedResults } from '../../../components/admin/screen.tsx'
import { Choices } from '../../../components/choices.tsx'
import { unitContentLines } from '../../../components/admin/unit-content.ts'

const filters: (UnitStatus | 'all')[] = ['all', 'hidden', 'active', 'retired']

/** What happened to a reported unit on this screen: an action on its way, done, or refused. */
type Outcome = { state: 'pending'; action: 'regenerate' | 'retire' | 'restore' } | { state: 'done'; message: string; unit: AdminUnit } | { state: 'failed'; message: string }

/**
 * Units learners reported (open reports only, the longest-waiting first): what they said, the
 * unit itself, and the three decisions — regenerate (a new version from the AI), retire, restore.
 * Each closes the unit's reports; the card stays with its outcome until the list is reloaded.
 */
export default function Reports() {
  const [filter, setFilter] = createSignal<UnitStatus | 'all'>('all')
  const [paging, setPaging] = createSignal(firstPage)
  const [page, { refetch }] = createResource(
    () => ({ status: filter() === 'all' ? undefined : (filter() as UnitStatus), cursor: currentCursor(paging()) }),
    (query) => adminApi.reports(query),
  )
  const [outcomes, setOutcomes] = createSignal<Record<string, Outcome>>({})
  const [confirming, setConfirming] = createSignal<ConfirmRequest | null>(null)

  const setOutcome = (id: string, outcome: Outcome) => setOutcomes((current) => ({ ...current, [id]: outcome }))

  async function act(item: ReportedUnit, action: 'regenerate' | 'retire' | 'restore') {
    const id = item.unit.id
    setOutcome(id, { state: 'pending', action })
    try {
      if (action === 'regenerate') {
        const result = await adminApi.regenerate(id)
        setOutcome(id, { state: 'done', unit: result.unit, message: t('admin.reports.regenerated', { version: result.unit.version }) })
      } else {
        const { unit } = await (action === 'retire' ? adminApi.retire(id) : adminApi.restore(id))
        setOutcome(id, { state: 'done', unit, message: t(action === 'retire' ? 'admin.reports.retired' : 'admin.reports.restored') })
      }
    } catch (error) {
      setOutcome(id, { state: 'failed', message: adminErrorMessage(error) })
      throw error
    }
  }

  function confirmThen(item: ReportedUnit, action: 'regenerate' | 'retire') {
    setConfirming({
      title: t(action === 'regenerate' ? 'admin.reports.confirmRegenerateTitle' : 'admin.reports.confirmRetireTitle'),
      body: <p>{t(action === 'regenerate' ? 'admin.reports.confirmRegenerate' : 'admin.reports.confirmRetire', { topic: item.unit.topic_title })}</p>,
      confirmLabel: t(action === 'regenerate' ? 'admin.reports.regenerate' : 'admin.reports.retire'),
      danger: action === 'retire',
      // The dialog closes at once; the card shows the pending state and the result (regenerating takes a while).
      run: async () => {
        void act(item, action).catch(() => showToast(t('admin.reports.failed'), 'error'))
      },
    })
  }

  return (
    <div class="page admin-page">
      <AdminHeader title={t('admin.reports.title')} intro={t('admin.reports.intro')} />
      <Choices
        class="admin-filter"
        legend={t('admin.reports.filter')}
        name="report-status"
        options={filters}
        value={filter()}
        onChange={(option) =>
          batch(() => {
            setFilter(option)
            setPaging(firstPage)
          })
        }
        label={(option) => t(`admin.status.${option}`)}
      />
      <LoadError error={page.error} onRetry={() => void refetch()} />
      <LoadingSkeleton when={page.loading && !page.latest} />
      <PagedResults page={settled(page)} none={t('admin.reports.none')} paging={paging()} onChange={setPaging} label={t('admin.reports.pages')}>
        <ul class="report-list" aria-busy={page.loading}>
          <For each={settled(page)?.items}>
            {(item) => {
              const outcome = () => outcomes()[item.unit.id]
              // The unit as it is now: the version an action returned, else the one reported.
              const unit = () => {
                const current = outcome()
                return current?.state === 'done' ? current.unit : item.unit
              }
              const pending = () => outcome()?.state === 'pending'
              const decided = () => outcome()?.state === 'done'
              return (
                <li class="report panel" data-unit-id={item.unit.id} aria-labelledby={`report-${item.unit.id}`}>
                  <header class="report-head">
                    <h2 id={`report-${item.unit.id}`} class="report-title">
                      {item.unit.topic_title}
                      <span class="cell-meta">{messageOr(`type.${item.unit.type}`, item.unit.type)}{item.unit.quiz_kind ? ` · ${item.unit.quiz_kind}` : ''}</span>
                    </h2>
                    <span class={`badge status-${unit().status}`} data-status={unit().status}>
                      {t(`admin.status.${unit().status}`)} · v{unit().version}
                    </span>
                  </header>
                  <p class="small">
                    <strong>{t('admin.reports.count', { count: item.open_reports })}</strong>{' '}
                    {Object.entries(item.reasons)
                      .map(([reason, count]) => `${messageOr(`admin.reason.${reason}`, reason)} × ${count}`)
                      .join(', ')}
                  </p>
                  <Show when={item.details.length > 0}>
                    <ul class="report-details">
                      <For each={item.details}>{(detail) => <li>“{detail}”</li>}</For>
                    </ul>
                  </Show>
                  <p class="muted small">{t('admin.reports.since', { when: formatInstant(item.first_reported_at, locale()) })}</p>
                  <div class="unit-preview" aria-label={t('admin.reports.content')} role="group">
                    <For each={unitContentLines(unit().body)}>
                      {(line) => (
                        <p class={`preview-${line.role}`} classList={{ 'preview-correct': line.correct }}>
                          {line.role === 'answer' ? `${t('admin.reports.answer')}: ${line.text}` : line.text}
                          <Show when={line.correct}>
                            <span class="visually-hidden"> ({t('admin.reports.correct')})</span>
                          </Show>
                        </p>
                      )}
                    </For>
                  </div>
                  <div role="status" class="report-outcome">
                    <Show when={outcome()?.state === 'pending'}>
                      <p class="small">{t(outcome()?.state === 'pending' && (outcome() as { action: string }).action === 'regenerate' ? 'admin.reports.regenerating' : 'admin.working')}</p>
                    </Show>
                    <Show when={outcome()?.state === 'done'}>
                      <p class="notice small">{(outcome() as { message: string }).message}</p>
                    </Show>
                    <Show when={outcome()?.state === 'failed'}>
                      <p class="form-error small">{(outcome() as { message: string }).message}</p>
                    </Show>
                  </div>
                  <Show when={!decided()}>
                    <div class="report-actions">
                      <button type="button" class="button button-small button-primary" disabled={pending()} aria-busy={pending()} onClick={() => confirmThen(item, 'regenerate')}>
                        {t('admin.reports.regenerate')}
                      </button>
                      <button type="button" class="button button-small" disabled={pending()} onClick={() => void act(item, 'restore').catch(() => {})}>
                        {t('admin.reports.restore')}
                      </button>
                      <button type="button" class="button button-small button-danger" disabled={pending()} onClick={() => confirmThen(item, 'retire')}>
                        {t('admin.reports.retire')}
                      </button>
                    </div>
                  </Show>
                </li>
              )
            }}
          </For>
        </ul>
      </PagedResults>
      <ConfirmDialog request={confirming()} onClose={() => setConfirming(null)} />
    </div>
  )
}
