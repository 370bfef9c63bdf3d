/** Strings for the driving screens, English and Russian (merged into the dictionaries in ../i18n.ts). */
export const en = {
} as const

export const ru: Record<keyof typeof en, string> = {
}
