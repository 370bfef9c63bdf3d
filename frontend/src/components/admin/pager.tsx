import { Show } from 'solid-js'
import { t } from '../../lib/i18n.ts'
import '../../lib/messages/admin.ts'
import { hasPrevious, nextPage, pageNumber, previousPage, type Paging } from './paging.ts'

/** Previous / next for a keyset-paged list; hidden when everything fits on one page. */
export function Pager(props: { paging: Paging; nextCursor: string | null | undefined; onChange: (paging: Paging) => void; label: string }) {
  return (
    <Show when={hasPrevious(props.paging) || props.nextCursor}>
      <nav class="admin-pager" aria-label={props.label}>
        <button type="button" class="button button-small" disabled={!hasPrevious(props.paging)} onClick={() => props.onChange(previousPage(props.paging))}>
          {t('admin.previous')}
        </button>
        <span class="muted small" aria-live="polite">
          {t('admin.page', { page: pageNumber(props.paging) })}
        </span>
        <button type="button" class="button button-small" disabled={!props.nextCursor} onClick={() => props.onChange(nextPage(props.paging, props.nextCursor ?? null))}>
          {t('admin.next')}
        </button>
      </nav>
    </Show>
  )
}
