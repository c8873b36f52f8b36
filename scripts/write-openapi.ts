/** Writes shared/openapi.json from the contract (`npm run openapi`); shared/openapi.test.ts fails until it is rerun after a change. */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildOpenApiDocument } from '../shared/openapi.ts'

const target = fileURLToPath(new URL('../shared/openapi.json', import.meta.url))
writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`)
console.log(`wrote ${target}`)
