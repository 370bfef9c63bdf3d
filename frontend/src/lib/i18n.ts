import { createSignal } from 'solid-js'
import type * as admin from './messages/admin.ts'
import type * as driving from './messages/driving.ts'
import type * as library from './messages/library.ts'

/**
 * Every string the PWA shows, in English and Russian. `{name}` placeholders are filled by `t`.
 * Below are the core strings, needed before the first screen (their Russian is in
 * ./messages/core-ru.ts, loaded only for Russian). Each screen area keeps its strings in its own
 * file under ./messages/, which adds them here when imported: every module that uses an area's
 * keys imports it, so the strings load with the screens (i18n.test.ts checks the imports). Every
 * Russian dictionary must have every key (the types say so), so a missing translation is a type
 * error, not a blank button.
 */
const core = {
  'app.name': 'Noleij',
  'app.skip': 'Skip to content',
  'app.loading': 'Loading…',
  'app.offline': 'You are offline. What you do is saved and sent when you are back.',
  'app.update': 'A new version is ready.',
  'app.reload': 'Reload',
  'app.offlineReady': 'Noleij now works offline.',
  'app.dismiss': 'Dismiss',
  'app.notFound': 'This page does not exist.',
  'app.home': 'Go to your feed',

  'nav.label': 'Main',
  'nav.feed': 'Feed',
  'nav.topics': 'Teach me',
  'nav.library': 'Library',
  'nav.today': 'Today',
  'nav.me': 'Me',

  'mode.label': 'What are you doing?',
  'mode.driving': 'Driving',
  'mode.commuting': 'Commuting',
  'mode.working': 'Working',
  'mode.idle': 'Idle',
  'mode.changed': 'Mode: {mode}',
  'mode.handsFree': 'Hands-free view',
  'mode.handsFreeOffer': 'Driving? The hands-free view has big buttons and plays audio back to back.',
  'mode.notNow': 'Not now',

  'auth.email': 'Email',
  'auth.password': 'Password',
  'auth.newPassword': 'New password',
  'auth.confirmPassword': 'Repeat the password',
  'auth.name': 'Name (optional)',
  'auth.show': 'Show',
  'auth.hide': 'Hide',
  'auth.remember': 'Keep me signed in on this device',
  'auth.signIn': 'Sign in',
  'auth.signUp': 'Create account',
  'auth.signInTitle': 'Welcome back',
  'auth.signUpTitle': 'Start learning',
  'auth.tagline': 'An endless feed that leaves you smarter.',
  'auth.noAccount': 'New here?',
  'auth.haveAccount': 'Already have an account?',
  'auth.forgot': 'Forgot your password?',
  'auth.forgotTitle': 'Reset your password',
  'auth.forgotHelp': 'Enter your email and we will send you a link to choose a new password.',
  'auth.sendLink': 'Send the link',
  'auth.backToSignIn': 'Back to sign in',
  'auth.resetTitle': 'Choose a new password',
  'auth.resetDone': 'Your password is changed and every device was signed out. Sign in with the new password.',
  'auth.resetSubmit': 'Change password',
  'auth.missingToken': 'This link is incomplete. Open the link from the email again, or ask for a new one.',
  'auth.verifyTitle': 'Confirm your email',
  'auth.verifying': 'Confirming your email…',
  'auth.verified': 'Your email is confirmed.',
  'auth.passwordHint': 'At least 8 characters; not a common password.',
  'auth.working': 'Please wait…',

  'validation.emailRequired': 'Enter your email address.',
  'validation.emailInvalid': 'This does not look like an email address.',
  'validation.passwordRequired': 'Enter your password.',
  'validation.passwordShort': 'Use at least 8 characters.',
  'validation.passwordLong': 'Use at most 128 characters.',
  'validation.passwordMismatch': 'The passwords do not match.',
  'validation.topicShort': 'Describe the topic in at least 3 characters.',
  'validation.topicLong': 'Keep it under 200 characters.',

  'error.network': 'No connection. Check your network and try again.',
  'error.invalid_credentials': 'The email or password is wrong.',
  'error.email_taken': 'An account with this email already exists. Sign in instead?',
  'error.account_locked': 'Too many failed attempts. Try again later or reset your password.',
  'error.rate_limited': 'Too many attempts. Wait a moment and try again.',
  'error.invalid_link': 'This link is invalid, was already used or has expired. Ask for a new one.',
  'error.weak_password.too_short': 'Use at least 8 characters.',
  'error.weak_password.too_long': 'Use at most 128 characters.',
  'error.weak_password.common': 'This password is too common. Choose one that is harder to guess.',
  'error.weak_password.contains_email': 'Do not use your email address as the password.',
  'error.weak_password.malformed': 'The password contains characters that cannot be stored.',
  'error.unavailable': 'The service is unavailable right now. Try again in a moment.',
  'error.generic': 'Something went wrong. Try again.',
  'error.notYet': 'This is not available on this server yet.',
  'error.reference': 'Reference: {id}',

  'feed.label': 'Your learning feed',
  'feed.loading': 'Preparing your feed…',
  'feed.unavailableTitle': 'The feed is not switched on here yet',
  'feed.unavailable': 'This server does not serve feed units yet. Your topics are saved and will fill the feed once it is.',
  'feed.emptyTitle': 'Nothing to learn yet',
  'feed.empty': 'Tell Noleij what you want to learn and your feed starts.',
  'feed.caughtUpTitle': 'You are all caught up',
  'feed.caughtUp': 'You have seen every unit of your topics for now. Come back later for new ones, or ask for another topic.',
  'feed.voicingTitle': 'Preparing audio for the road',
  'feed.voicing': 'Units of your topics are being voiced. They start here as soon as they are ready, or pick another mode above to read them now.',
  'feed.quietTitle': 'Nothing left to listen to',
  'feed.quiet': 'Everything voiced so far has been played to you. Pick another mode above to read, or ask for another topic.',
  'feed.offlineTitle': 'You are offline',
  'feed.offline': 'Nothing is saved for offline use yet. Connect once and the next units will be kept.',
  'feed.errorTitle': 'The feed did not load',
  'feed.retry': 'Try again',
  'feed.addTopic': 'Ask for a topic',
  'feed.position': 'Unit {position}',
  'feed.more': 'Loading more…',
  'feed.end': 'You are all caught up. Add a topic for more.',
  'feed.why': 'Why this?',
  'feed.whyTitle': 'Why you see this',
  'feed.moreDetail': 'Tell me more',
  'feed.lessDetail': 'Show less',
  'feed.source': 'Source: {title}',
  'feed.page': 'page {page}',
  'feed.difficulty': 'Difficulty {level} of 5',
  'feed.next': 'Next',
  'feed.close': 'Close',
  'feed.breakTitle': 'Time for a break?',
  'feed.breakText': 'You have been learning for {minutes} minutes. Your brain files things away while you rest.',
  'feed.keepGoing': 'Keep going',

  'type.insight': 'Insight',
  'type.story': 'Story',
  'type.analogy': 'Analogy',
  'type.example': 'Example',
  'type.mistake': 'Common mistake',
  'type.definition': 'Definition',
  'type.eli5': 'Explained simply',
  'type.summary': 'Summary',
  'type.scenario': 'Scene',
  'type.storyboard': 'Comic',
  'type.quiz': 'Quick check',
  'type.audio': 'Listen',

  'quiz.mcq': 'Pick the right answer',
  'quiz.predict_next': 'What happens next?',
  'quiz.pick_analogy': 'Pick the best analogy',
  'quiz.true_false': 'True or false?',
  'quiz.fill_blank': 'Fill in the blank',
  'quiz.true': 'True',
  'quiz.false': 'False',
  'quiz.swipeHint': 'Swipe right for true, left for false',
  'quiz.blank': 'Your answer',
  'quiz.check': 'Check',
  'quiz.hint': 'Hint',
  'quiz.correct': 'Correct!',
  'quiz.wrong': 'Not quite.',
  'quiz.answerWas': 'The answer: {answer}',
  'quiz.queued': 'Saved. It will be checked when you are back online.',
  'quiz.checking': 'Checking…',

  'action.like': 'Like',
  'action.liked': 'Liked',
  'action.save': 'Save',
  'action.saved': 'Saved',
  'action.deeper': 'Go deeper',
  'action.story': 'Tell it as a story',
  'action.listen': 'Listen',
  'action.pause': 'Pause',
  'action.ask': 'Ask a question',
  'action.report': 'Report a problem',
  'action.branchQueued': 'Coming up next.',
  'action.reported': 'Thanks. We will look at it.',
  'action.actions': 'Actions',

  'ask.title': 'Ask about this',
  'ask.question': 'Your question',
  'ask.send': 'Ask',
  'ask.thinking': 'Thinking…',

  'report.title': 'What is wrong?',
  'report.incorrect': 'It is wrong',
  'report.unclear': 'It is unclear',
  'report.offensive': 'It is offensive',
  'report.duplicate': 'I saw it already',
  'report.other': 'Something else',
  'report.detail': 'What is wrong? (at least 3 characters)',
  'report.send': 'Send report',

  'audio.play': 'Play',
  'audio.pause': 'Pause',
  'audio.speed': 'Speed',
  'audio.transcript': 'Transcript',
  'audio.none': 'No audio for this unit yet.',

  'topics.title': 'Teach me…',
  'topics.prompt': 'What do you want to learn?',
  'topics.placeholder': 'e.g. negotiation, how vaccines work, Stoicism',
  'topics.submit': 'Start learning',
  'topics.suggestions': 'Ideas',
  'topics.following': 'Your topics',
  'topics.none': 'No topics yet. Ask for one above.',
  'topics.added': '“{title}” is in your feed.',
  'topics.addedNeedsProvider': 'You follow “{title}”, but it needs an AI provider before it has units.',
  'topics.unseen': '{count} new units waiting',
  'topics.unfollow': 'Unfollow',
  'topics.unfollowed': 'You no longer follow “{title}”.',
  'topics.status.ready': 'Ready',
  'topics.status.generating': 'Preparing units…',
  'topics.status.needs_ai_provider': 'Needs an AI provider',
  'topics.needsProvider': 'This topic needs an AI provider to write units. An administrator can configure one; starter topics work without it.',
  'topics.unavailable': 'Topics are not available on this server yet.',
  'topics.suggest.1': 'Negotiation',
  'topics.suggest.2': 'How memory works',
  'topics.suggest.3': 'Compound interest',
  'topics.suggest.4': 'Stoic philosophy',

  'settings.title': 'Settings',
  'settings.appearance': 'Appearance',
  'settings.theme': 'Theme',
  'settings.theme.system': 'System',
  'settings.theme.light': 'Light',
  'settings.theme.dark': 'Dark',
  'settings.language': 'Language',
  'settings.account': 'Account',
  'settings.signedInAs': 'Signed in as {email}',
  'settings.unverified': 'Your email is not confirmed yet.',
  'settings.resend': 'Send the confirmation again',
  'settings.resent': 'Sent. Check your inbox.',
  'settings.sessions': 'Devices',
  'settings.thisDevice': 'This device',
  'settings.lastUsed': 'Last used {when}',
  'settings.unknownDevice': 'Unknown device',
  'settings.endSession': 'Sign out',
  'settings.signOutOthers': 'Sign out all other devices',
  'settings.othersSignedOut': 'Other devices are signed out.',
  'settings.data': 'Your data',
  'settings.export': 'Download my data',
  'settings.delete': 'Delete my account',
  'settings.deleteConfirm': 'This deletes your account, progress and uploads for good. Type DELETE to confirm.',
  'settings.deleteWord': 'DELETE',
  'settings.deleteButton': 'Delete for good',
  'settings.cancel': 'Cancel',
  'settings.signOut': 'Sign out',
  'settings.version': 'Version {version}',
} as const

export type CoreKey = keyof typeof core
export type MessageKey = CoreKey | keyof typeof driving.en | keyof typeof library.en | keyof typeof admin.en
/** What is loaded so far: the core of the languages in use and the areas imported. */
type Dictionary = Partial<Record<MessageKey, string>>

export const locales = ['en', 'ru'] as const
export type Locale = (typeof locales)[number]
export const localeNames: Record<Locale, string> = { en: 'English', ru: 'Русский' }
const dictionaries: Record<Locale, Dictionary> = { en: { ...core }, ru: {} }

/** Adds a screen area's strings; each ./messages/ area module calls it once, when imported. */
export function addMessages(area: Record<Locale, Dictionary>) {
  for (const target of locales) Object.assign(dictionaries[target], area[target])
}

const coreLoaders: Record<Exclude<Locale, 'en'>, () => Promise<Dictionary>> = {
  ru: async () => (await import('./messages/core-ru.ts')).ru,
}
const loaded = new Set<Locale>()

/** Loads a language's core strings (English is always there). */
export async function loadLocale(target: Locale) {
  if (target === 'en' || loaded.has(target)) return
  Object.assign(dictionaries[target], await coreLoaders[target]())
  loaded.add(target)
}

export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split('-')[0]
    if ((locales as readonly string[]).includes(language!)) return language as Locale
  }
  return 'en'
}

const [locale, setLocaleSignal] = createSignal<Locale>('en')
export { locale }
let requested: Locale = 'en'

/** Switches the language once its strings are loaded; of overlapping calls, the last one wins. */
export async function setLocale(next: Locale) {
  requested = next
  await loadLocale(next)
  if (requested !== next) return
  setLocaleSignal(next)
  if (typeof document !== 'undefined') document.documentElement.lang = next
}

/**
 * A key without a string: its area's module was not imported where the key is used. Development
 * and tests stop there; production reports it and shows nothing rather than the raw key.
 */
function missing(key: MessageKey): string {
  const problem = `No string for "${key}": import its area from lib/messages/ in the module that uses it.`
  if (import.meta.env.DEV) throw new Error(problem)
  console.error(problem)
  return ''
}

export function translate(target: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const template = dictionaries[target][key] ?? dictionaries.en[key] ?? missing(key)
  return params ? template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match)) : template
}

/** Reactive: reading it inside JSX re-renders when the language changes. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(locale(), key, params)
}

export function hasMessage(key: string): key is MessageKey {
  return key in dictionaries.en
}

/** Dictionaries, for the completeness test. */
export const dictionariesForTest = dictionaries
