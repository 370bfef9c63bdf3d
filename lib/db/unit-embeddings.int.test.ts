import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../tests/support/context.ts'
import { createEmbeddingCache, unitEmbeddings } from './unit-embeddings.ts'

/** The feed's embedding lookups against the database: cached by version, refetched after a rewrite. */
let test: TestContext

beforeAll(async () => {
  test = await createTestContext()
})
afterAll(async () => {
  await test?.close()
})

describe('unitEmbeddings', () => {
  it('serves a unit’s vector from the cache until the unit is rewritten', async () => {
    const versioned = () => test.ctx.sql<{ id: string; updated_at: string }[]>`
      select id, to_json(updated_at) #>> '{}' as updated_at from units where embedding is not null order by id limit 2`
    const units = await versioned()
    const [first] = await test.ctx.sql<{ embedding: number[] }[]>`select embedding from units where id = ${units[0]!.id}`
    const cache = createEmbeddingCache()

    const loaded = await unitEmbeddings(test.ctx.sql, units, cache)
    expect(loaded.get(units[0]!.id)).toHaveLength(256)
    expect(loaded.get(units[0]!.id)![0]).toBeCloseTo(first!.embedding[0]!, 6)

    // Changed behind the cache's back with the same version: the cached vector is still served.
    const changed = Array.from({ length: 256 }, (_, index) => (index === 0 ? 1 : 0))
    await test.ctx.sql`update units set embedding = ${changed}::real[] where id = ${units[0]!.id}`
    expect((await unitEmbeddings(test.ctx.sql, units, cache)).get(units[0]!.id)![0]).toBeCloseTo(first!.embedding[0]!, 6)

    // A rewrite moves updated_at, which is the version: the new vector is fetched.
    await test.ctx.sql`update units set updated_at = updated_at + interval '1 second' where id = ${units[0]!.id}`
    const after = await unitEmbeddings(test.ctx.sql, await versioned(), cache)
    expect(after.get(units[0]!.id)![0]).toBe(1)
    expect(after.get(units[1]!.id)).toEqual(loaded.get(units[1]!.id))
  })
})
