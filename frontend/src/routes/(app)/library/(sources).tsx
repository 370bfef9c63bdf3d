import { createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { Icon } from '../../../components/icons.tsx'
import { SourceItem } from '../../../components/library/source-item.tsx'
import { acceptAttribute, checkFile, checkLink, formatMegabytes, isSettled, maxUploadBytes, normalizeLink, sourceErrorText } from '../../../components/library/upload-rules.ts'
import { SkeletonList } from '../../../components/skeleton-list.tsx'
import { ApiError } from '../../../lib/api.ts'
import { libraryApi, uploadFile, type CreatedSource, type SourceView } from '../../../lib/api-library.ts'
import { t } from '../../../lib/i18n.ts'
import '../../../lib/messages/library.ts'
import { errorMessage, orIfNotDeployed } from '../../../lib/messages.ts'
import { settled } from '../../../lib/resource.ts'
import { showToast } from '../../../lib/toast.ts'
import '../../../styles/library.css'

interface Sending {
  key: number
  title: string
  fraction: number
}

const pollMs = 1500

/** A failure adding something, with the ingest's own sentences for its codes (too_large, url_not_allowed, …). */
function addFailure(error: unknown): string {
  return sourceErrorText(error instanceof ApiError ? error.code : undefined, errorMessage(error))
}

/**
 * The library: add documents (straight to storage, with an upload bar) and links, watch each one
 * being read and turned into units (polling its status), see why one failed, delete one.
 */
export default function Library() {
  // Rows live in a store reconciled by id, so a status update changes a row in place (focus and
  // screen reader position survive the polling) instead of replacing it.
  const [list, setList] = createStore<{ items: SourceView[] }>({ items: [] })
  const showAll = (items: SourceView[]) => setList('items', reconcile(items, { key: 'id' }))
  const [sources, { refetch }] = createResource(() =>
    orIfNotDeployed(
      libraryApi.sources().then((items) => {
        showAll(items)
        return { unavailable: false }
      }),
      { unavailable: true },
    ),
  )
  const [sending, setSending] = createSignal<Sending[]>([])
  const [problem, setProblem] = createSignal<string>()
  const [link, setLink] = createSignal('')
  const [linkProblem, setLinkProblem] = createSignal<string>()
  const [linkBusy, setLinkBusy] = createSignal(false)
  const [dragging, setDragging] = createSignal(false)
  const [deleting, setDeleting] = createSignal<SourceView>()
  let dialog: HTMLDialogElement | undefined
  let fileInput: HTMLInputElement | undefined
  let linkInput: HTMLInputElement | undefined
  let sendKey = 0
  // Counts the rows this screen added or deleted, so a list fetched before such a change is not shown over it.
  let edits = 0

  const upsert = (source: SourceView) => {
    edits++
    showAll([source, ...list.items.filter((item) => item.id !== source.id)])
  }
  const remove = (id: string) => {
    edits++
    setList('items', (items) => items.filter((item) => item.id !== id))
  }

  // While a source is still being read, the list is asked for again until every one is ready or
  // failed: one request a tick, whatever the number of sources. A source deleted elsewhere leaves the
  // list with it. Not refetch(): that would put the whole screen back into its loading state.
  let polling = false
  const poll = setInterval(async () => {
    if (polling || document.visibilityState !== 'visible' || list.items.every(isSettled)) return
    polling = true
    const before = edits
    try {
      const items = await libraryApi.sources()
      if (edits === before) showAll(items)
    } catch {
      // A passing network failure is tried again on the next tick.
    } finally {
      polling = false
    }
  }, pollMs)
  onCleanup(() => clearInterval(poll))

  async function registered(created: CreatedSource, title: string) {
    showToast(created.reused ? t('library.reused') : t('library.added', { title }))
    try {
      upsert(await libraryApi.source(created.source_id))
    } catch {
      void refetch()
    }
  }

  async function send(file: File) {
    const check = checkFile(file)
    if (check) {
      setProblem(`${file.name}: ${t(check.key, check.params)}`)
      return
    }
    const key = ++sendKey
    setSending((current) => [...current, { key, title: file.name, fraction: 0 }])
    try {
      const created = await uploadFile(file, {
        onProgress: (fraction) => setSending((current) => current.map((item) => (item.key === key ? { ...item, fraction } : item))),
      })
      await registered(created, file.name)
    } catch (error) {
      setProblem(`${t('library.failedTitle', { title: file.name })}. ${addFailure(error)}`)
    } finally {
      setSending((current) => current.filter((item) => item.key !== key))
    }
  }

  async function sendAll(files: FileList | null | undefined) {
    setProblem()
    // One after another: each upload counts against the same per-minute limit.
    for (const file of Array.from(files ?? [])) await send(file)
  }

  async function addLink(event: SubmitEvent) {
    event.preventDefault()
    const check = checkLink(link())
    setLinkProblem(check ? t(check.key, check.params) : undefined)
    if (check) {
      linkInput?.focus()
      return
    }
    setLinkBusy(true)
    try {
      const url = normalizeLink(link())
      await registered(await libraryApi.addLink(url), url)
      setLink('')
    } catch (error) {
      setLinkProblem(addFailure(error))
      linkInput?.focus()
    } finally {
      setLinkBusy(false)
    }
  }

  async function confirmDelete(event: SubmitEvent) {
    event.preventDefault()
    const source = deleting()
    if (!source) return
    try {
      await libraryApi.deleteSource(source.id)
      remove(source.id)
      showToast(t('library.deleted', { title: source.title }))
      // The focused delete button is gone with its row; the list's heading takes focus instead.
      document.getElementById('sources-heading')?.focus()
    } catch (error) {
      showToast(errorMessage(error), 'error')
    } finally {
      dialog?.close()
    }
  }

  return (
    <div class="page library">
      <h1>{t('library.title')}</h1>
      <p class="muted">{t('library.intro')}</p>

      <Show when={!settled(sources)?.unavailable}>
        <section class="panel" aria-labelledby="add-file-heading">
          <h2 id="add-file-heading">{t('library.addFile')}</h2>
          <label
            class="dropzone"
            classList={{ 'dropzone-over': dragging() }}
            onDragOver={(event) => {
              event.preventDefault()
              setDragging(true)
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(event) => {
              event.preventDefault()
              setDragging(false)
              void sendAll(event.dataTransfer?.files)
            }}
          >
            <input
              ref={(element) => (fileInput = element)}
              class="visually-hidden"
              type="file"
              accept={acceptAttribute}
              multiple
              aria-describedby="file-types file-problem"
              onChange={(event) => {
                void sendAll(event.currentTarget.files).finally(() => {
                  if (fileInput) fileInput.value = ''
                })
              }}
            />
            <Icon name="upload" size={28} />
            <span class="dropzone-pick">{t('library.pick')}</span>
            <span class="muted small">{t('library.drop')}</span>
          </label>
          <p class="muted small" id="file-types">
            {t('library.types', { max: formatMegabytes(maxUploadBytes) })}
          </p>
          <div role="alert" id="file-problem">
            <Show when={problem()}>
              <p class="form-error">{problem()}</p>
            </Show>
          </div>
          <ul class="sending-list">
            <For each={sending()}>
              {(item) => (
                <li class="sending">
                  <span class="source-title">{item.title}</span>
                  <div
                    class="meter"
                    role="progressbar"
                    aria-label={t('library.uploading', { title: item.title })}
                    aria-valuemin="0"
                    aria-valuemax="100"
                    aria-valuenow={Math.round(item.fraction * 100)}
                  >
                    <div class="meter-fill" style={{ width: `${Math.round(item.fraction * 100)}%` }} />
                  </div>
                  <span class="muted small">{t('library.uploadPercent', { percent: Math.round(item.fraction * 100) })}</span>
                </li>
              )}
            </For>
          </ul>
        </section>

        <section class="panel" aria-labelledby="add-link-heading">
          <h2 id="add-link-heading">{t('library.addLinkHeading')}</h2>
          <form class="link-form" onSubmit={addLink} novalidate aria-busy={linkBusy()}>
            <label for="library-link" class="visually-hidden">
              {t('library.linkLabel')}
            </label>
            <input
              id="library-link"
              ref={(element) => (linkInput = element)}
              type="url"
              inputmode="url"
              autocomplete="url"
              placeholder="https://…"
              value={link()}
              onInput={(event) => setLink(event.currentTarget.value)}
              aria-invalid={linkProblem() ? true : undefined}
              aria-describedby={linkProblem() ? 'link-problem' : undefined}
            />
            <button type="submit" class="button button-primary" disabled={linkBusy()}>
              <Icon name="link" size={18} />
              {t('library.addLink')}
            </button>
          </form>
          <div role="alert">
            <Show when={linkProblem()}>
              <p class="field-error" id="link-problem">
                {linkProblem()}
              </p>
            </Show>
          </div>
        </section>
      </Show>

      <section aria-labelledby="sources-heading">
        <h2 id="sources-heading" tabindex="-1">
          {t('library.yours')}
        </h2>
        <Switch>
          <Match when={sources.error}>
            <p class="form-error">{errorMessage(sources.error)}</p>
            <button type="button" class="button" onClick={() => void refetch()}>
              {t('library.retry')}
            </button>
          </Match>
          <Match when={sources.loading && !sources.latest}>
            <SkeletonList class="source-list" />
          </Match>
          <Match when={settled(sources)?.unavailable}>
            <p class="muted">{t('library.unavailable')}</p>
          </Match>
          <Match when={list.items.length === 0}>
            <p class="muted">{t('library.empty')}</p>
          </Match>
          <Match when={settled(sources)}>
            <ul class="source-list">
              <For each={list.items}>
                {(source) => (
                  <SourceItem
                    source={source}
                    onDelete={(chosen) => {
                      setDeleting(chosen)
                      dialog?.showModal()
                    }}
                  />
                )}
              </For>
            </ul>
          </Match>
        </Switch>
      </section>

      <dialog ref={(element) => (dialog = element)} class="dialog" aria-labelledby="delete-source-heading">
        <form class="form" onSubmit={confirmDelete}>
          <h2 id="delete-source-heading">{t('library.deleteTitle', { title: deleting()?.title ?? '' })}</h2>
          <p>{t('library.deleteText')}</p>
          <div class="dialog-actions">
            <button type="button" class="button" onClick={() => dialog?.close()}>
              {t('settings.cancel')}
            </button>
            <button type="submit" class="button button-danger">
              {t('library.delete')}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  )
}
