import { useNavigate } from '@solidjs/router'
import { createResource, createSignal, For, Show } from 'solid-js'
import { LearnedPanel } from '../../components/settings/learned-panel.tsx'
import { LearningSettings } from '../../components/settings/learning-settings.tsx'
import { api } from '../../lib/api.ts'
import { locale, localeNames, locales, t } from '../../lib/i18n.ts'
import { downloadJson } from '../../lib/download.ts'
import { formatInstant } from '../../lib/format.ts'
import { errorMessage } from '../../lib/messages.ts'
import { forgetSession, signOut, user } from '../../lib/session.ts'
import { changeLocale, setTheme, theme, type Theme } from '../../lib/settings.ts'
import { showToast } from '../../lib/toast.ts'
import type { Session } from '../../lib/types.ts'

const themes: Theme[] = ['system', 'light', 'dark']

function describeDevice(session: Session): string {
  const agent = session.user_agent ?? ''
  const browser = /Edg\//.test(agent) ? 'Edge' : /Firefox\//.test(agent) ? 'Firefox' : /Chrom(e|ium)\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : ''
  const system = /Android/.test(agent) ? 'Android' : /iPhone|iPad/.test(agent) ? 'iOS' : /Mac OS X/.test(agent) ? 'macOS' : /Windows/.test(agent) ? 'Windows' : /Linux/.test(agent) ? 'Linux' : ''
  return [browser, system].filter(Boolean).join(' · ') || t('settings.unknownDevice')
}

export default function Settings() {
  const navigate = useNavigate()
  const [sessions, { refetch }] = createResource(() => api.sessions().then((response) => response.items))
  const [resent, setResent] = createSignal(false)
  const [confirming, setConfirming] = createSignal('')
  const [deleteError, setDeleteError] = createSignal<string>()
  let dialog: HTMLDialogElement | undefined

  async function endOthers() {
    try {
      await Promise.all((sessions() ?? []).filter((session) => !session.current).map((session) => api.endSession(session.id)))
      showToast(t('settings.othersSignedOut'))
    } catch (error) {
      showToast(errorMessage(error), 'error')
    }
    void refetch()
  }

  async function endOne(session: Session) {
    try {
      await api.endSession(session.id)
    } catch (error) {
      showToast(errorMessage(error), 'error')
    }
    void refetch()
  }

  async function exportData() {
    try {
      downloadJson(await api.exportMe(), 'noleij-export.json')
    } catch (error) {
      showToast(errorMessage(error), 'error')
    }
  }

  async function deleteAccount(event: SubmitEvent) {
    event.preventDefault()
    if (confirming().trim() !== t('settings.deleteWord')) return
    try {
      await api.deleteMe()
      dialog?.close()
      await forgetSession()
    } catch (error) {
      setDeleteError(errorMessage(error))
    }
  }

  async function resend() {
    try {
      await api.requestEmailVerification()
      setResent(true)
    } catch (error) {
      showToast(errorMessage(error), 'error')
    }
  }

  return (
    <div class="page settings">
      <h1>{t('settings.title')}</h1>

      <section aria-labelledby="appearance-heading" class="panel">
        <h2 id="appearance-heading">{t('settings.appearance')}</h2>
        <fieldset class="segmented">
          <legend>{t('settings.theme')}</legend>
          <For each={themes}>
            {(option) => (
              <label class="segment">
                <input type="radio" name="theme" value={option} checked={theme() === option} onChange={() => setTheme(option)} />
                <span>{t(`settings.theme.${option}`)}</span>
              </label>
            )}
          </For>
        </fieldset>
        <fieldset class="segmented">
          <legend>{t('settings.language')}</legend>
          <For each={locales}>
            {(option) => (
              <label class="segment" lang={option}>
                <input type="radio" name="language" value={option} checked={locale() === option} onChange={() => void changeLocale(option, { signedIn: true })} />
                <span>{localeNames[option]}</span>
              </label>
            )}
          </For>
        </fieldset>
      </section>

      <LearningSettings />
      <LearnedPanel />

      <section aria-labelledby="account-heading" class="panel">
        <h2 id="account-heading">{t('settings.account')}</h2>
        <p>{t('settings.signedInAs', { email: user()?.email ?? user()?.name ?? '' })}</p>
        <Show when={user() && !user()!.email_verified && user()!.email}>
          <p class="muted">{t('settings.unverified')}</p>
          <Show when={!resent()} fallback={<p role="status">{t('settings.resent')}</p>}>
            <button type="button" class="button" onClick={resend}>
              {t('settings.resend')}
            </button>
          </Show>
        </Show>
        <button
          type="button"
          class="button button-block"
          onClick={async () => {
            await signOut()
            // A deliberate sign-out starts over from the feed, not from this page.
            navigate('/sign-in', { replace: true })
          }}
        >
          {t('settings.signOut')}
        </button>
      </section>

      <section aria-labelledby="sessions-heading" class="panel">
        <h2 id="sessions-heading">{t('settings.sessions')}</h2>
        <Show when={sessions.error}>
          <p class="form-error">{errorMessage(sessions.error)}</p>
        </Show>
        <ul class="session-list" aria-busy={sessions.loading}>
          <For each={sessions.latest ?? []}>
            {(session) => (
              <li class="session">
                <div>
                  <p class="session-device">
                    {describeDevice(session)}
                    <Show when={session.current}>
                      <span class="badge badge-ready">{t('settings.thisDevice')}</span>
                    </Show>
                  </p>
                  <p class="muted small">{t('settings.lastUsed', { when: formatInstant(session.last_used_at, locale()) })}</p>
                </div>
                <Show when={!session.current}>
                  <button type="button" class="button button-small" onClick={() => void endOne(session)}>
                    {t('settings.endSession')}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={(sessions.latest ?? []).some((session) => !session.current)}>
          <button type="button" class="button button-block" onClick={endOthers}>
            {t('settings.signOutOthers')}
          </button>
        </Show>
      </section>

      <section aria-labelledby="data-heading" class="panel">
        <h2 id="data-heading">{t('settings.data')}</h2>
        <button type="button" class="button button-block" onClick={exportData}>
          {t('settings.export')}
        </button>
        <button
          type="button"
          class="button button-danger button-block"
          onClick={() => {
            setConfirming('')
            setDeleteError()
            dialog?.showModal()
          }}
        >
          {t('settings.delete')}
        </button>
      </section>
      <p class="muted small version">{t('settings.version', { version: import.meta.env.VITE_APP_VERSION ?? '0.1.0' })}</p>

      <dialog ref={(element) => (dialog = element)} class="dialog" aria-labelledby="delete-heading">
        <form class="form" onSubmit={deleteAccount}>
          <h2 id="delete-heading">{t('settings.delete')}</h2>
          <p>{t('settings.deleteConfirm')}</p>
          <input aria-label={t('settings.deleteWord')} value={confirming()} onInput={(event) => setConfirming(event.currentTarget.value)} autocomplete="off" />
          <Show when={deleteError()}>
            <p class="form-error" role="alert">
              {deleteError()}
            </p>
          </Show>
          <div class="dialog-actions">
            <button type="button" class="button" onClick={() => dialog?.close()}>
              {t('settings.cancel')}
            </button>
            <button type="submit" class="button button-danger" disabled={confirming().trim() !== t('settings.deleteWord')}>
              {t('settings.deleteButton')}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  )
}
