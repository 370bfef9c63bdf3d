import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js'
import { Icon } from '../../components/icons.tsx'
import { SavedCard } from '../../components/library/saved-card.tsx'
import { libraryApi, type SavedItem } from '../../lib/api-library.ts'
import { t } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import { errorMessage, orIfNotDeployed } from '../../lib/messages.ts'
import { showToast } from '../../lib/toast.ts'
import '../../styles/library.css'

const pageSize = 20

/** Units the learner saved from the feed, newest first, a page at a time. */
export default function Saved() {
  const [items, setItems] = createSignal<SavedItem[]>([])
  const [cursor, setCursor] = createSignal<string | null>(null)
  const [loadingMore, setLoadingMore] = createSignal(false)
  const [first] = createResource(() =>
    orIfNotDeployed(
      libraryApi.saved(undefined, pageSize).then((page) => {
        setItems(page.items)
        setCursor(page.next_cursor)
        return { unavailable: false }
      }),
      { unavailable: true },
    ),
  )

  async function more() {
    const next = cursor()
    if (!next) return
    setLoadingMore(true)
    try {
      const page = await libraryApi.saved(next, pageSize)
      const known = new Set(items().map((item) => item.unit.id))
      setItems([...items(), ...page.items.filter((item) => !known.has(item.unit.id))])
      setCursor(page.next_cursor)
    } catch (error) {
      showToast(errorMessage(error), 'error')
    } finally {
      setLoadingMore(false)
    }
  }

  async function remove(item: SavedItem) {
    try {
      await libraryApi.unsave(item.unit.id)
      setItems(items().filter((entry) => entry.unit.id !== item.unit.id))
      showToast(t('saved.removed'))
      // The focused button left with its card; the heading takes focus so the keyboard is not lost.
      document.getElementById('saved-heading')?.focus()
    } catch (error) {
      showToast(errorMessage(error), 'error')
    }
  }

  return (
    <div class="page saved-page">
      <h1 id="saved-heading" tabindex="-1">
        {t('saved.title')}
      </h1>
      <Switch>
        <Match when={first.error}>
          <p class="form-error">{errorMessage(first.error)}</p>
        </Match>
        <Match when={first.loading}>
          <ul class="saved-list" aria-busy="true">
            <li class="topic skeleton" />
            <li class="topic skeleton" />
          </ul>
        </Match>
        <Match when={first()?.unavailable}>
          <p class="muted">{t('saved.unavailable')}</p>
        </Match>
        <Match when={items().length === 0}>
          <div class="empty empty-inline">
            <Icon name="bookmark" size={40} />
            <p>{t('saved.empty')}</p>
          </div>
        </Match>
        <Match when={true}>
          <ul class="saved-list">
            <For each={items()}>{(item) => <SavedCard item={item} onRemove={(chosen) => void remove(chosen)} />}</For>
          </ul>
          <Show when={cursor()}>
            <button type="button" class="button button-block" disabled={loadingMore()} aria-busy={loadingMore()} onClick={() => void more()}>
              {loadingMore() ? t('app.loading') : t('saved.more')}
            </button>
          </Show>
        </Match>
      </Switch>
    </div>
  )
}
