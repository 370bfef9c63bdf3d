import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js'
import { drivingApi, type Personalization } from '../../lib/api-driving.ts'
import { locale, t } from '../../lib/i18n.ts'
import '../../lib/messages/driving.ts'
import { errorMessage, orIfNotDeployed } from '../../lib/messages.ts'
import { showToast } from '../../lib/toast.ts'
import '../../styles/driving.css'
import { hasLearnedFormats, learnedStatements } from './learned.ts'

/** "What the system learned" from `GET /api/v1/me/personalization`, with a reset that asks first. */
export function LearnedPanel() {
  const [data, { mutate }] = createResource(() => orIfNotDeployed<Personalization | null>(drivingApi.personalization(), null))
  const [confirming, setConfirming] = createSignal(false)
  const [busy, setBusy] = createSignal(false)
  const lines = () => {
    const current = data()
    return current ? learnedStatements(current, t, locale()) : []
  }

  async function reset() {
    setBusy(true)
    try {
      mutate(await drivingApi.resetPersonalization())
      setConfirming(false)
      showToast(t('learned.resetDone'))
    } catch (error) {
      showToast(errorMessage(error), 'error')
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="learned-heading" class="panel learned">
      <h2 id="learned-heading">{t('learned.title')}</h2>
      <Switch>
        <Match when={data.error}>
          <p class="form-error">{errorMessage(data.error)}</p>
        </Match>
        <Match when={data.loading}>
          <p class="muted" aria-busy="true">
            {t('learning.loading')}
          </p>
        </Match>
        <Match when={data() === null}>
          <p class="muted">{t('error.notYet')}</p>
        </Match>
        <Match when={data()}>
          <Show when={lines().length > 0} fallback={<p class="muted">{t('learned.nothing')}</p>}>
            <ul class="learned-list">
              <For each={lines()}>{(line) => <li>{line}</li>}</For>
            </ul>
          </Show>
          <Show when={hasLearnedFormats(data()!)}>
            <p class="muted small">{t('learned.how')}</p>
          </Show>
          <Show
            when={confirming()}
            fallback={
              <button type="button" class="button button-block" onClick={() => setConfirming(true)}>
                {t('learned.reset')}
              </button>
            }
          >
            <div class="stack" role="group" aria-labelledby="learned-confirm">
              <p id="learned-confirm">{t('learned.resetConfirm')}</p>
              <div class="dialog-actions">
                <button type="button" class="button" onClick={() => setConfirming(false)}>
                  {t('settings.cancel')}
                </button>
                <button type="button" class="button button-danger" disabled={busy()} onClick={() => void reset()}>
                  {t('learned.resetButton')}
                </button>
              </div>
            </div>
          </Show>
        </Match>
      </Switch>
    </section>
  )
}
