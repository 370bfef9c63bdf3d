import { A } from '@solidjs/router'
import { Show } from 'solid-js'
import { t } from '../../lib/i18n.ts'
import { mode } from '../../lib/settings.ts'
import { Icon } from '../icons.tsx'

/** On the feed while driving: the way into the big-button view, always visible. */
export function HandsFreeLink() {
  return (
    <Show when={mode() === 'driving'}>
      <A href="/driving" class="hands-free-link">
        <Icon name="car" size={20} />
        {t('mode.handsFree')}
      </A>
    </Show>
  )
}
