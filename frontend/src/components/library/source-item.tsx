import { A } from '@solidjs/router'
import { Match, Show, Switch } from 'solid-js'
import type { SourceView } from '../../lib/api-library.ts'
import { formatInstantDate } from '../../lib/format.ts'
import { locale, t, type MessageKey } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import { countText } from '../../lib/wording.ts'
import { Icon } from '../icons.tsx'
import { processingFraction, sourceErrorText } from './upload-rules.ts'

/** A failed source's reason in the learner's language; the server's own sentence for a code we do not know. */
export function sourceFailure(source: Pick<SourceView, 'error'>): string {
  return sourceErrorText(source.error?.code, source.error?.message ?? t('error.generic'))
}

function stageText(source: SourceView): string {
  if (source.status === 'generating') {
    const total = Math.max(1, source.progress.total)
    return t('library.stage.generating', { done: Math.min(source.progress.done + 1, total), total })
  }
  return t(`library.stage.${source.status === 'extracting' || source.status === 'chunking' ? source.status : 'queued'}` as MessageKey)
}

/** One document or link: its processing progress, then "ready: N units" or why it failed, and delete. */
export function SourceItem(props: { source: SourceView; onDelete: (source: SourceView) => void }) {
  const percent = () => Math.round(processingFraction(props.source) * 100)
  const headingId = () => `source-${props.source.id}`
  const date = () => formatInstantDate(props.source.created_at, locale())
  return (
    <li class="source" data-source-id={props.source.id} data-status={props.source.status} aria-labelledby={headingId()}>
      <span class="source-icon" aria-hidden="true">
        <Icon name={props.source.kind === 'url' ? 'link' : 'file'} />
      </span>
      <div class="source-main">
        <h3 class="source-title" id={headingId()}>
          {props.source.title}
        </h3>
        <p class="muted small source-meta">
          {t(`library.kind.${props.source.kind}`)}
          <Show when={props.source.type}>{` · ${props.source.type!.toUpperCase()}`}</Show>
          <Show when={props.source.pages}>{` · ${t('library.pages', { count: props.source.pages! })}`}</Show>
          {` · ${date()}`}
        </p>
      </div>
      <span class={`badge source-badge badge-source-${props.source.status}`}>{t(`library.status.${props.source.status}`)}</span>

      <div class="source-state" aria-live="polite">
        <Switch>
          <Match when={props.source.status === 'ready'}>
            <p class="source-ready">
              <Icon name="check" size={18} />
              <span>{countText('library.ready', props.source.units)}</span>
            </p>
            <Show when={props.source.units > 0}>
              <A href={`/library/${props.source.id}`} class="link-quiet source-link">
                {t('library.seeUnits')}
              </A>
            </Show>
          </Match>
          <Match when={props.source.status === 'failed'}>
            <p class="source-error">{sourceFailure(props.source)}</p>
          </Match>
          <Match when={true}>
            <div
              class="meter"
              role="progressbar"
              aria-label={t('library.processing', { title: props.source.title })}
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow={percent()}
              aria-valuetext={stageText(props.source)}
            >
              <div class="meter-fill" style={{ width: `${percent()}%` }} />
            </div>
            <p class="muted small">{stageText(props.source)}</p>
          </Match>
        </Switch>
      </div>

      <button type="button" class="link-button source-delete" aria-label={t('library.deleteLabel', { title: props.source.title })} onClick={() => props.onDelete(props.source)}>
        <Icon name="trash" size={16} />
        {t('library.delete')}
      </button>
    </li>
  )
}
