import { describe, expect, it } from 'vitest'
import { checkFile, checkLink, formatMegabytes, maxUploadBytes, normalizeLink, processingFraction, sourceErrorKey } from './upload-rules.ts'
import { dictionariesForTest } from '../../lib/i18n.ts'

const megabyte = 1024 * 1024

describe('checking a file before it is sent', () => {
  it('accepts the documents the ingest reads, by extension or by type', () => {
    expect(checkFile({ name: 'paper.PDF', type: '', size: 2 * megabyte })).toBeNull()
    expect(checkFile({ name: 'notes.md', type: '', size: 10 })).toBeNull()
    expect(checkFile({ name: 'download', type: 'application/pdf', size: 10 })).toBeNull()
    expect(checkFile({ name: 'report.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: maxUploadBytes })).toBeNull()
  })

  it('names what is wrong: an old Word file, another type, an empty file, one over the limit', () => {
    expect(checkFile({ name: 'old.doc', type: 'application/msword', size: 10 })).toEqual({ key: 'library.check.doc' })
    expect(checkFile({ name: 'photo.jpg', type: 'image/jpeg', size: 10 })).toEqual({ key: 'library.check.type', params: { type: '.jpg' } })
    expect(checkFile({ name: 'README', type: 'application/x-unknown', size: 10 })).toEqual({ key: 'library.check.type', params: { type: 'application/x-unknown' } })
    expect(checkFile({ name: 'blank.txt', type: 'text/plain', size: 0 })).toEqual({ key: 'library.check.empty' })
    expect(checkFile({ name: 'big.pdf', type: 'application/pdf', size: maxUploadBytes + 1 })).toEqual({ key: 'library.check.tooLarge', params: { size: '25 MB', max: '25 MB' } })
    expect(checkFile({ name: 'big.pdf', type: 'application/pdf', size: 31.6 * megabyte })).toMatchObject({ params: { size: '32 MB' } })
  })

  it('writes sizes people read', () => {
    expect(formatMegabytes(2.44 * megabyte)).toBe('2.4 MB')
    expect(formatMegabytes(25 * megabyte)).toBe('25 MB')
    expect(formatMegabytes(30 * 1024)).toBe('30 KB')
    expect(formatMegabytes(10)).toBe('1 KB')
  })
})

describe('checking a link', () => {
  it('takes http(s) links, with or without the scheme', () => {
    expect(checkLink('https://example.com/a')).toBeNull()
    expect(checkLink('example.com/page')).toBeNull()
    expect(normalizeLink(' example.com/page ')).toBe('https://example.com/page')
    expect(normalizeLink('http://example.com')).toBe('http://example.com')
  })

  it('refuses empty text, other schemes and words that are not addresses', () => {
    expect(checkLink('  ')).toEqual({ key: 'library.check.linkEmpty' })
    expect(checkLink('ftp://example.com/file')).toEqual({ key: 'library.check.linkScheme' })
    expect(checkLink('javascript:alert(1)')).toEqual({ key: 'library.check.linkScheme' })
    expect(checkLink('not a link')).toEqual({ key: 'library.check.linkInvalid' })
  })
})

describe('processing progress', () => {
  const at = (status: string, done = 0, total = 0) => processingFraction({ status: status as never, progress: { stage: status, done, total } })

  it('gives each stage its share of the bar, generating the most', () => {
    expect(at('queued')).toBe(0)
    expect(at('extracting', 0, 1)).toBe(0.05)
    expect(at('extracting', 1, 1)).toBeCloseTo(0.35)
    expect(at('chunking', 1, 1)).toBeCloseTo(0.45)
    expect(at('generating', 2, 4)).toBeCloseTo(0.725)
    expect(at('ready')).toBe(1)
    expect(at('failed')).toBe(0)
  })

  it('only moves forward through the stages the server reports in order', () => {
    const steps = [at('queued'), at('extracting', 0, 1), at('extracting', 1, 1), at('chunking', 0, 1), at('chunking', 1, 1), at('generating', 0, 3), at('generating', 1, 3), at('generating', 3, 3), at('ready')]
    for (let index = 1; index < steps.length; index++) expect(steps[index]).toBeGreaterThanOrEqual(steps[index - 1]!)
  })
})

describe('failure codes', () => {
  it('have a sentence in both languages for every code the ingest produces', () => {
    for (const code of ['encrypted_pdf', 'no_text_layer', 'corrupt_file', 'unsupported_type', 'empty_document', 'too_large', 'garbled_text', 'needs_ai_provider', 'url_not_allowed', 'fetch_failed', 'timeout', 'internal']) {
      const key = sourceErrorKey(code)
      expect(key, code).not.toBeNull()
      expect(dictionariesForTest.en[key!]).toBeTruthy()
      expect(dictionariesForTest.ru[key!]).toBeTruthy()
    }
    expect(sourceErrorKey('something_new')).toBeNull()
  })
})
