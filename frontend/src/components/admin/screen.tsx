import { Show, type JSX } from 'solid-js'
import type { Page } from '../../lib/page.ts'
import { t } from '../../lib/i18n.ts'
import '../../lib/messages/admin.ts'
import { adminErrorMessage } from './errors.ts'
import { Pager } from './pager.tsx'
import type { Paging } from './paging.ts'

/** An admin screen's heading and, where it has one, the line under it that says what the screen is for. */
export function AdminHeader(props: { title: string; intro?: string }) {
  return (
    <header class="admin-header">
      <h1>{props.title}</h1>
      <Show when={props.intro}>
        <p class="muted small">{props.intro}</p>
      </Show>
    </header>
  )
}

/** Why the screen's data did not load, as the server said it, and a button to try again; nothing without an error. */
export function LoadError(props: { error: unknown; onRetry: () => void }) {
  return (
    <Show when={props.error}>
      <p class="form-error" role="alert">
        {adminErrorMessage(props.error)}
      </p>
      <button type="button" class="button" onClick={() => props.onRetry()}>
        {t('admin.retry')}
      </button>
    </Show>
  )
}

/**
 * A keyset-paged list once a page has loaded: its items (children), or the line `none` when the page
 * is empty, then the pager (`paging`, `onChange` and `label` are the Pager's).
 */
export function PagedResults(props: { page: Page<unknown> | undefined; none: string; paging: Paging; onChange: (paging: Paging) => void; label: string; children: JSX.Element }) {
  return (
    <Show when={props.page}>
      <Show when={(props.page?.items.length ?? 0) > 0} fallback={<p class="muted">{props.none}</p>}>
        {props.children}
      </Show>
      <Pager paging={props.paging} nextCursor={props.page?.next_cursor} onChange={props.onChange} label={props.label} />
    </Show>
  )
}

/**
 * One admin table in a scrollable region that keyboard users can focus and scroll, named by the
 * table's visually hidden caption; `stacked` lets the rows fold into cards on a narrow screen.
 */
export function AdminTable(props: { captionId: string; caption: string; busy: boolean; stacked?: boolean; children: JSX.Element }) {
  return (
    <div class="admin-scroll" role="region" aria-labelledby={props.captionId} tabindex="0">
      <table class="admin-table" classList={{ 'admin-table-stack': props.stacked }} aria-busy={props.busy}>
        <caption id={props.captionId} class="visually-hidden">
          {props.caption}
        </caption>
        {props.children}
      </table>
    </div>
  )
}

/** The header of a table's last column, which holds each row's buttons: named for screen readers only. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span class="visually-hidden">{t('admin.actions')}</span>
    </th>
  )
}

/** The placeholder while a screen's first page loads (children: e.g. a status line for screen readers). */
export function LoadingSkeleton(props: { when: boolean; children?: JSX.Element }) {
  return (
    <Show when={props.when}>
      <div class="skeleton admin-skeleton" aria-hidden="true" />
      {props.children}
    </Show>
  )
}
