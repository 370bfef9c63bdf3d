import { A } from '@solidjs/router'
import { createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js'
import { Icon } from '../../components/icons.tsx'
import { formatBytes, PackDownloadError, packStore, type PackProgress, type PackSummary } from '../../components/offline/packs.ts'
import { api, isOffline } from '../../lib/api.ts'
import { drivingApi, packMinutes, type PackMinutes } from '../../lib/api-driving.ts'
import { formatInstant } from '../../lib/format.ts'
import { locale, t } from '../../lib/i18n.ts'
import '../../lib/messages/driving.ts'
import { errorMessage, isNotDeployed } from '../../lib/messages.ts'
import { showToast } from '../../lib/toast.ts'
import '../../styles/driving.css'

interface StorageState {
  usage: number
  quota: number
  persisted: boolean
}

async function readStorage(): Promise<StorageState | null> {
  if (!navigator.storage?.estimate) return null
  const [estimate, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted?.() ?? Promise.resolve(false)])
  return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted }
}

/**
 * Offline packs: a followed topic's units and all their audio for 15, 30 or 60 minutes, kept on
 * the device (components/offline/packs.ts) for a flight or a tunnel. Offline, the feed and the
 * hands-free view serve the units not shown yet.
 */
export default function Offline() {
  const [topics] = createResource(async () => {
    try {
      return { items: (await api.topics()).filter((topic) => topic.status === 'ready'), offline: false }
    } catch (error) {
      if (isOffline(error)) return { items: [], offline: true }
      throw error
    }
  })
  const [packs, { refetch: refetchPacks }] = createResource(() => packStore.list())
  const [storage, { refetch: refetchStorage }] = createResource(readStorage)
  /** After a download or a deletion: the list and the storage figures. */
  const refresh = () => {
    void refetchPacks()
    void refetchStorage()
  }
  const [topicId, setTopicId] = createSignal('')
  const [minutes, setMinutes] = createSignal<PackMinutes>(30)
  const [progress, setProgress] = createSignal<PackProgress | null>(null)
  const [topicTitle, setTopicTitle] = createSignal('')
  const [problem, setProblem] = createSignal<string>()
  let controller: AbortController | undefined
  onCleanup(() => controller?.abort())

  const chosenTopic = () => topicId() || topics()?.items[0]?.id || ''
  const percent = () => {
    const current = progress()
    return current && current.bytesTotal > 0 ? Math.min(100, Math.round((current.bytes / current.bytesTotal) * 100)) : 0
  }

  async function download(event: SubmitEvent) {
    event.preventDefault()
    const id = chosenTopic()
    if (!id || progress()) return
    setProblem()
    controller = new AbortController()
    const signal = controller.signal
    setTopicTitle(topics()?.items.find((topic) => topic.id === id)?.title ?? '')
    setProgress({ units: 0, unitsTotal: 0, bytes: 0, bytesTotal: 0 })
    // Asked once, on the learner's own action: a persisted origin is not cleared under storage pressure.
    void navigator.storage?.persist?.().catch(() => false)
    try {
      const pack = await drivingApi.pack(id, minutes(), signal)
      if (pack.units.length === 0) {
        setProblem(t('offline.emptyPack'))
        return
      }
      const summary = await packStore.download(pack, { signal, onProgress: setProgress })
      showToast(t('offline.done', { topic: summary.topic.title, size: formatBytes(summary.bytes, locale()) }))
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') showToast(t('offline.cancelled'))
      else if (error instanceof PackDownloadError) setProblem(t('offline.audioFailed'))
      else if (isNotDeployed(error)) setProblem(t('offline.unavailable'))
      else if ((error as { name?: string }).name === 'QuotaExceededError') setProblem(t('offline.full'))
      else setProblem(errorMessage(error))
    } finally {
      setProgress(null)
      controller = undefined
      refresh()
    }
  }

  async function remove(pack: PackSummary) {
    try {
      await packStore.remove(pack.id)
      showToast(t('offline.deleted', { topic: pack.topic.title }))
    } catch (error) {
      showToast(errorMessage(error), 'error')
    }
    refresh()
  }

  return (
    <div class="page offline-page">
      <h1>{t('offline.title')}</h1>
      <p class="muted">{t('offline.intro')}</p>

      <section class="panel" aria-labelledby="pack-new-heading">
        <h2 id="pack-new-heading">{t('offline.new')}</h2>
        <Switch>
          <Match when={topics.error}>
            <p class="form-error">{errorMessage(topics.error)}</p>
          </Match>
          <Match when={topics.loading}>
            <p class="muted" aria-busy="true">
              {t('offline.loadingTopics')}
            </p>
          </Match>
          <Match when={topics()?.offline}>
            <p class="notice">{t('offline.needsNetwork')}</p>
          </Match>
          <Match when={topics()?.items.length === 0}>
            <p class="muted">{t('offline.noTopics')}</p>
            <A href="/topics" class="button button-primary">
              {t('offline.teachMe')}
            </A>
          </Match>
          <Match when={topics()}>
            <form class="pack-form" onSubmit={download} aria-busy={!!progress()}>
              <label class="field">
                {t('offline.topic')}
                <select value={chosenTopic()} onChange={(event) => setTopicId(event.currentTarget.value)} disabled={!!progress()}>
                  <For each={topics()!.items}>{(topic) => <option value={topic.id}>{topic.title}</option>}</For>
                </select>
              </label>
              <fieldset class="segmented" disabled={!!progress()}>
                <legend>{t('offline.length')}</legend>
                <For each={packMinutes}>
                  {(option) => (
                    <label class="segment">
                      <input type="radio" name="pack-minutes" value={option} checked={minutes() === option} onChange={() => setMinutes(option)} />
                      <span>{t('offline.minutes', { minutes: option })}</span>
                    </label>
                  )}
                </For>
              </fieldset>
              <Show
                when={progress()}
                fallback={
                  <button type="submit" class="button button-primary button-block">
                    <Icon name="download" size={20} />
                    {t('offline.download')}
                  </button>
                }
              >
                {(current) => (
                  <div class="pack-progress" role="status">
                    <p>
                      <strong>{t('offline.downloading', { topic: topicTitle() })}</strong>
                    </p>
                    <div class="pack-bar" role="progressbar" aria-label={t('offline.progress')} aria-valuemin="0" aria-valuemax="100" aria-valuenow={percent()}>
                      <div class="pack-bar-fill" style={{ width: `${percent()}%` }} />
                    </div>
                    <p class="muted small">
                      {current().unitsTotal === 0
                        ? t('offline.preparing')
                        : t('offline.progressText', {
                            units: current().units,
                            total: current().unitsTotal,
                            bytes: formatBytes(current().bytes, locale()),
                            size: formatBytes(current().bytesTotal, locale()),
                          })}
                    </p>
                    <button type="button" class="button button-block" onClick={() => controller?.abort()}>
                      {t('offline.cancel')}
                    </button>
                  </div>
                )}
              </Show>
              <div role="alert">
                <Show when={problem()}>
                  <p class="form-error">{problem()}</p>
                </Show>
              </div>
            </form>
          </Match>
        </Switch>
      </section>

      <section class="panel" aria-labelledby="pack-list-heading">
        <h2 id="pack-list-heading">{t('offline.onDevice')}</h2>
        <Show when={(packs() ?? []).length > 0} fallback={<p class="muted">{packs.loading ? t('offline.loadingPacks') : t('offline.none')}</p>}>
          <ul class="pack-list">
            <For each={packs()}>
              {(pack) => (
                <li class="pack" data-pack-id={pack.id}>
                  <div>
                    <p class="pack-title">{pack.topic.title}</p>
                    <p class="muted small">
                      {t('offline.packMeta', {
                        minutes: pack.minutes,
                        units: pack.unit_ids.length,
                        size: formatBytes(pack.bytes, locale()),
                        date: formatInstant(pack.created_at, locale()),
                      })}
                    </p>
                  </div>
                  <button type="button" class="button button-small button-danger" onClick={() => void remove(pack)} aria-label={t('offline.deleteLabel', { topic: pack.topic.title, minutes: pack.minutes })}>
                    <Icon name="trash" size={18} />
                    {t('offline.delete')}
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={storage()}>
          {(state) => (
            <div class="stack">
              <p class="small">{t('offline.storage', { usage: formatBytes(state().usage, locale()), quota: formatBytes(state().quota, locale()) })}</p>
              <div class="storage-meter" aria-hidden="true">
                <div class="storage-meter-fill" style={{ width: `${state().quota > 0 ? Math.min(100, (state().usage / state().quota) * 100) : 0}%` }} />
              </div>
              <p class="muted small">{state().persisted ? t('offline.persisted') : t('offline.notPersisted')}</p>
            </div>
          )}
        </Show>
      </section>
    </div>
  )
}
