import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js'
import { api } from '../../lib/api.ts'
import { drivingApi, voiceChoices } from '../../lib/api-driving.ts'
import { t } from '../../lib/i18n.ts'
import '../../lib/messages/driving.ts'
import { errorMessage, orIfNotDeployed } from '../../lib/messages.ts'
import { showToast } from '../../lib/toast.ts'
import { difficultyChoices, type Preferences } from '../../lib/types.ts'
import '../../styles/driving.css'

const goals = [5, 10, 15, 20, 30, 50]
const breaks = [0, 15, 20, 25, 30, 45, 60, 90]

/** Adds the stored value when it is not one of the offered ones, so the select never lies. */
const withCurrent = (options: number[], current: number) => (options.includes(current) ? options : [...options, current].sort((a, b) => a - b))

/**
 * Difficulty, narrator voice, daily goal and break reminder, stored with `PUT /api/v1/me/preferences`
 * as soon as they change (no save button to forget).
 */
export function LearningSettings() {
  const [preferences, { mutate }] = createResource(() => orIfNotDeployed<Preferences | null>(drivingApi.preferences(), null))
  const [state, setState] = createSignal<'idle' | 'saving' | 'saved'>('idle')

  async function save(change: Partial<Pick<Preferences, 'difficulty' | 'voice' | 'daily_goal' | 'break_minutes'>>) {
    const before = preferences()
    if (!before) return
    mutate({ ...before, ...change })
    setState('saving')
    try {
      mutate(await api.setPreferences(change))
      setState('saved')
    } catch (error) {
      mutate(before)
      setState('idle')
      showToast(errorMessage(error), 'error')
    }
  }

  return (
    <section aria-labelledby="learning-heading" class="panel learning-settings">
      <h2 id="learning-heading">{t('learning.title')}</h2>
      <Switch>
        <Match when={preferences.error}>
          <p class="form-error">{errorMessage(preferences.error)}</p>
        </Match>
        <Match when={preferences.loading}>
          <p class="muted" aria-busy="true">
            {t('learning.loading')}
          </p>
        </Match>
        <Match when={preferences() === null}>
          <p class="muted">{t('error.notYet')}</p>
        </Match>
        <Match when={preferences()}>
          {(current: () => Preferences) => (
            <>
              <fieldset class="segmented" aria-describedby="difficulty-hint">
                <legend>{t('learning.difficulty')}</legend>
                <For each={difficultyChoices}>
                  {(option) => (
                    <label class="segment">
                      <input type="radio" name="difficulty" value={option} checked={current().difficulty === option} onChange={() => void save({ difficulty: option })} />
                      <span>{t(`learning.difficulty.${option}`)}</span>
                    </label>
                  )}
                </For>
              </fieldset>
              <p id="difficulty-hint" class="muted small">
                {t('learning.difficultyHint')}
              </p>
              <fieldset class="segmented" aria-describedby="voice-hint">
                <legend>{t('learning.voice')}</legend>
                <label class="segment">
                  <input type="radio" name="voice" value="" checked={!current().voice} onChange={() => void save({ voice: null })} />
                  <span>{t('learning.voice.default')}</span>
                </label>
                <For each={voiceChoices}>
                  {(option) => (
                    <label class="segment">
                      <input type="radio" name="voice" value={option} checked={current().voice === option} onChange={() => void save({ voice: option })} />
                      <span>{t(`learning.voice.${option}`)}</span>
                    </label>
                  )}
                </For>
              </fieldset>
              <p id="voice-hint" class="muted small">
                {t('learning.voiceHint')}
              </p>
              <label class="field">
                {t('learning.goal')}
                <select value={String(current().daily_goal)} onChange={(event) => void save({ daily_goal: Number(event.currentTarget.value) })}>
                  <For each={withCurrent(goals, current().daily_goal)}>{(goal) => <option value={String(goal)}>{t('learning.goalValue', { count: goal })}</option>}</For>
                </select>
              </label>
              <label class="field">
                {t('learning.break')}
                <select value={String(current().break_minutes)} onChange={(event) => void save({ break_minutes: Number(event.currentTarget.value) })}>
                  <For each={withCurrent(breaks, current().break_minutes)}>
                    {(minutes) => <option value={String(minutes)}>{minutes === 0 ? t('learning.breakOff') : t('learning.breakValue', { minutes })}</option>}
                  </For>
                </select>
              </label>
              <p class="muted small save-state" role="status">
                <Show when={state() !== 'idle'}>{state() === 'saving' ? t('learning.saving') : t('learning.saved')}</Show>
              </p>
            </>
          )}
        </Match>
      </Switch>
    </section>
  )
}
