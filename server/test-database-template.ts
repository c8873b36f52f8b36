/**
 * Tests only: where the tests keep an empty, migrated database to copy instead of running
 * initdb for every server they start (~2 s each). A folder only this checkout writes to.
 */
import { fileURLToPath } from 'node:url'

export const DB_TEMPLATE_DIR = fileURLToPath(new URL('../node_modules/.cache/reading-server-db', import.meta.url))
