import { A, useLocation } from '@solidjs/router'
import { createSignal, For, onCleanup, Show } from 'solid-js'
import { t } from '../lib/i18n.ts'
import { mode, setMode } from '../lib/settings.ts'
import { contextModes, type ContextMode } from '../lib/types.ts'
import { Icon, type IconName } from './icons.tsx'

const icons: Record<ContextMode, IconName> = { driving: 'car', commuting: 'train', working: 'laptop', idle: 'coffee' }
/** The hands-free offer goes away by itself after this long. */
const offerMs = 10_000

/**
 * Driving / Commuting / Working / Idle, one tap each, always in the top bar. A radio group with a
 * roving tab stop: Tab reaches the chosen mode, arrow keys move and choose. Choosing Driving
 * offers the big-button hands-free view (an offer, not a jump: a passenger may want the feed).
 */
export function ModeSwitcher() {
  let group: HTMLDivElement | undefined
  const location = useLocation()
  const [offer, setOffer] = createSignal(false)
  let offerTimer: ReturnType<typeof setTimeout> | undefined
  onCleanup(() => clearTimeout(offerTimer))

  function choose(next: ContextMode) {
    const changed = next !== mode()
    void setMode(next)
    clearTimeout(offerTimer)
    setOffer(changed && next === 'driving' && location.pathname !== '/driving')
    if (offer()) offerTimer = setTimeout(() => setOffer(false), offerMs)
  }

  function onKeyDown(event: KeyboardEvent) {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0
    if (step === 0) return
    event.preventDefault()
    const index = (contextModes.indexOf(mode()) + step + contextModes.length) % contextModes.length
    choose(contextModes[index]!)
    group?.querySelectorAll<HTMLButtonElement>('[role="radio"]')[index]?.focus()
  }

  return (
    <div class="modes-wrap">
      <div class="modes" role="radiogroup" aria-label={t('mode.label')} ref={(element) => (group = element)} onKeyDown={onKeyDown}>
        <For each={contextModes}>
          {(option) => (
            <button
              type="button"
              role="radio"
              class="mode"
              aria-checked={mode() === option}
              tabindex={mode() === option ? 0 : -1}
              title={t(`mode.${option}`)}
              onClick={() => choose(option)}
            >
              <Icon name={icons[option]} size={20} />
              <span class="mode-label" classList={{ 'visually-hidden': mode() !== option }}>
                {t(`mode.${option}`)}
              </span>
            </button>
          )}
        </For>
      </div>
      <Show when={offer()}>
        <div class="drive-offer" role="status">
          <p>{t('mode.handsFreeOffer')}</p>
          <div class="drive-offer-actions">
            <A href="/driving" class="button button-primary" onClick={() => setOffer(false)}>
              {t('mode.handsFree')}
            </A>
            <button type="button" class="button" onClick={() => setOffer(false)}>
              {t('mode.notNow')}
            </button>
          </div>
        </div>
      </Show>
    </div>
  )
}
