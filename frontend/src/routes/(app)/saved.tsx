import { For, Match, Switch } from 'solid-js'
import { Icon } from '../../components/icons.tsx'
import { ListedUnit, MoreButton } from '../../components/library/listed-unit.tsx'
import { SkeletonList } from '../../components/skeleton-list.tsx'
import { libraryApi, type SavedItem } from '../../lib/api-library.ts'
import { formatInstantDate } from '../../lib/format.ts'
import { locale, t } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import { errorMessage } from '../../lib/messages.ts'
import { createPagedList } from '../../lib/paged-list.ts'
import { settled } from '../../lib/resource.ts'
import { showToast } from '../../lib/toast.ts'
import '../../styles/library.css'

/** Units the learner saved from the feed, newest first, a page at a time. */
export default function Saved() {
  const list = createPagedList((cursor) => libraryApi.saved(cursor), (item) => item.unit.id, { optional: true })

  async function remove(item: SavedItem) {
    try {
      await libraryApi.unsave(item.unit.id)
      list.setItems(list.items().filter((entry) => entry.unit.id !== item.unit.id))
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
        <Match when={list.first.error}>
          <p class="form-error">{errorMessage(list.first.error)}</p>
        </Match>
        <Match when={list.first.loading}>
          <SkeletonList class="listed-units" />
        </Match>
        <Match when={settled(list.first)?.unavailable}>
          <p class="muted">{t('saved.unavailable')}</p>
        </Match>
        <Match when={list.items().length === 0}>
          <div class="empty empty-inline">
            <Icon name="bookmark" size={40} />
            <p>{t('saved.empty')}</p>
          </div>
        </Match>
        <Match when={true}>
          <ul class="listed-units">
            <For each={list.items()}>
              {(item) => (
                <ListedUnit unit={item.unit} note={t('saved.savedOn', { when: formatInstantDate(item.saved_at, locale()) })}>
                  <button type="button" class="button button-small" onClick={() => void remove(item)}>
                    <Icon name="bookmark" size={16} filled />
                    {t('saved.remove')}
                  </button>
                </ListedUnit>
              )}
            </For>
          </ul>
          <MoreButton list={list} />
        </Match>
      </Switch>
    </div>
  )
}
