/** The composition root: the renderer's stores wired to the real server client, cache and desktop. */
import { createDicomwebClient } from './api/dicomweb-client.ts'
import { createReadingServerClient } from './api/reading-server-client.ts'
import { openWorkstationDb } from './cache/workstation-db.ts'
import { desktop } from './desktop/desktop.ts'
import { cacheStudy, readCachedInstance } from './repositories/study-repository.ts'
import { createSessionStore } from './stores/session-store.ts'
import { createStudyStore } from './stores/study-store.ts'
import { createWorklistStore } from './stores/worklist-store.ts'

const db = openWorkstationDb()

export const useSessionStore = createSessionStore({ desktop, createClient: (url) => createReadingServerClient(url) })

const expire = () => useSessionStore.getState().expire()

export const useWorklistStore = createWorklistStore({
  getClient: () => useSessionStore.getState().client,
  onSessionExpired: expire,
})

export const useStudyStore = createStudyStore({
  getDicomweb: () => {
    const client = useSessionStore.getState().client
    if (!client) return null
    return {
      serverUrl: client.serverUrl,
      client: createDicomwebClient({ root: client.dicomwebRoot, getToken: () => client.getToken() }),
    }
  },
  cacheStudy: (args) => cacheStudy({ ...args, db }),
  onSessionExpired: expire,
})

/** Reads a cached instance's bytes for the viewer's image loader (a stable function). */
export const readInstanceFromCache = (sopInstanceUid: string) => readCachedInstance(db, sopInstanceUid)
