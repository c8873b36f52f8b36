/**
 * Rebuilds one fuzz case from its seed (as the fuzz test prints it) and runs it in this
 * process, to see what it does:
 *
 *   node test/fuzz/reproduce-case.ts <seed> [--write <file.dcm>] [--no-run]
 */
import { writeFileSync } from 'node:fs'
import { runPipeline } from './fuzz-case.ts'
import { prepareSource } from './fuzz-source.ts'
import { mutate, pickMutation } from './mutations.ts'
import { setUpNodeDecode } from './node-decode.ts'
import { seededRandom } from './seeded-random.ts'
import { loadSharedCorpus } from './shared-corpus.ts'

const [seedText, ...rest] = process.argv.slice(2)
const seed = Number(seedText)
if (!Number.isInteger(seed)) {
  console.error('usage: node test/fuzz/reproduce-case.ts <seed> [--write <file.dcm>] [--no-run]')
  process.exit(2)
}
const corpus = loadSharedCorpus()
const random = seededRandom(seed)
const file = corpus[random.int(0, corpus.length - 1)]!
const mutated = mutate(prepareSource(file.name, file.bytes), pickMutation(random), random)
console.log(`seed ${seed}: ${file.name}, ${mutated.kind}: ${mutated.description} (${mutated.bytes.length.toLocaleString('en-US')} bytes)`)
const writeAt = rest.indexOf('--write')
if (writeAt !== -1 && rest[writeAt + 1]) {
  writeFileSync(rest[writeAt + 1]!, mutated.bytes)
  console.log(`written to ${rest[writeAt + 1]}`)
}
if (!rest.includes('--no-run')) {
  await setUpNodeDecode()
  const log = console.log
  console.log = () => undefined
  const result = await runPipeline(mutated.bytes, 60_000)
  console.log = log
  console.log(result)
}
