import { describe, expect, it } from 'vitest'
import { unitContentLines } from './unit-content.ts'

describe('unitContentLines', () => {
  it('shows a multiple-choice quiz with its correct option marked and the explanation', () => {
    expect(unitContentLines({ kind: 'mcq', question: 'Where do volcanoes form?', options: ['At plate boundaries', 'In deserts'], correct: 0, explanation: 'Magma rises there.' })).toEqual([
      { role: 'question', text: 'Where do volcanoes form?' },
      { role: 'option', text: 'At plate boundaries', correct: true },
      { role: 'option', text: 'In deserts', correct: false },
      { role: 'explanation', text: 'Magma rises there.' },
    ])
  })

  it('gives the key of true/false and fill-blank quizzes, with accepted spellings', () => {
    expect(unitContentLines({ kind: 'true_false', statement: 'Lava is cold.', correct: false, explanation: 'It is hot.' }).map((line) => line.text)).toEqual(['Lava is cold.', 'false', 'It is hot.'])
    expect(unitContentLines({ kind: 'fill_blank', text: 'A ____ volcano.', answer: 'shield', accept: ['Shield'], explanation: 'Runny lava.' })[1]).toEqual({ role: 'answer', text: 'shield / Shield' })
  })

  it('names the speakers of a scenario and lists storyboard captions', () => {
    const scenario = unitContentLines({ title: 'At the crater', characters: [{ name: 'Ana' }, { name: 'Ben' }], lines: [{ speaker: 0, text: 'Hot!' }, { speaker: 1, text: 'Step back.' }] })
    expect(scenario.map((line) => line.text)).toEqual(['At the crater', 'Ana: Hot!', 'Ben: Step back.'])
    expect(unitContentLines({ title: 'Eruption', frames: [{ caption: 'Pressure builds', visual: 'x' }] }).at(-1)).toEqual({ role: 'frame', text: 'Pressure builds' })
  })

  it('shows insights with their detail, and unknown bodies as JSON', () => {
    expect(unitContentLines({ text: 'Magma on the surface is lava.', detail: 'More.' })).toEqual([
      { role: 'text', text: 'Magma on the surface is lava.' },
      { role: 'detail', text: 'More.' },
    ])
    expect(unitContentLines({ weird: 1 })).toEqual([{ role: 'raw', text: '{"weird":1}' }])
  })
})
