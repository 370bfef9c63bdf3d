import { A, useParams } from '@solidjs/router'
import { createResource, For, Match, Switch } from 'solid-js'
import { Icon } from '../../../components/icons.tsx'
import { ListedUnit, MoreButton } from '../../../components/library/listed-unit.tsx'
import { SkeletonList } from '../../../components/skeleton-list.tsx'
import { ApiError } from '../../../lib/api.ts'
import { libraryApi } from '../../../lib/api-library.ts'
import { formatInstantDate } from '../../../lib/format.ts'
import { locale, t } from '../../../lib/i18n.ts'
import '../../../lib/messages/library.ts'
import { errorMessage } from '../../../lib/messages.ts'
import { createPagedList } from '../../../lib/paged-list.ts'
import { settled } from '../../../lib/resource.ts'
import { countText } from '../../../lib/wording.ts'
import '../../../styles/library.css'

/** A document gone (deleted on another device) reads as that, not as the server's "No such source." */
function loadFailure(error: unknown): string {
  return error instanceof ApiError && error.status === 404 ? t('sourceUnits.missing') : errorMessage(error)
}

/** One document of the library and the units made from it, in the order they were made. */
export default function SourceUnits() {
  const params = useParams<{ id: string }>()
  const [source] = createResource(() => params.id, (id) => libraryApi.source(id))
  const list = createPagedList((cursor) => libraryApi.sourceUnits(params.id, cursor), (item) => item.unit.id)
  const failure = () => source.error ?? list.first.error

  return (
    <div class="page source-units-page">
      <A href="/library" class="link-quiet back-link">
        <Icon name="chevronLeft" size={18} />
        {t('sourceUnits.back')}
      </A>
      <h1 id="source-units-heading" tabindex="-1">
        {settled(source)?.title ?? t('library.title')}
      </h1>
      <Switch>
        <Match when={failure()}>
          <p class="form-error">{loadFailure(failure())}</p>
        </Match>
        <Match when={source.loading || list.first.loading}>
          <SkeletonList class="listed-units" />
        </Match>
        <Match when={list.items().length === 0}>
          <p class="muted">{t('sourceUnits.empty')}</p>
        </Match>
        <Match when={true}>
          <p class="muted source-units-intro">
            {countText('library.ready', settled(source)?.units ?? list.items().length)}
            {` · ${t('sourceUnits.intro')}`}
          </p>
          <A href="/" class="button source-units-feed">
            {t('sourceUnits.toFeed')}
          </A>
          <ul class="listed-units" aria-labelledby="source-units-heading">
            <For each={list.items()}>
              {(item) => (
                <ListedUnit
                  unit={item.unit}
                  note={
                    item.seen_at ? (
                      t('sourceUnits.seenOn', { when: formatInstantDate(item.seen_at, locale()) })
                    ) : (
                      <span class="badge badge-new">{t('sourceUnits.new')}</span>
                    )
                  }
                />
              )}
            </For>
          </ul>
          <MoreButton list={list} />
        </Match>
      </Switch>
    </div>
  )
}
