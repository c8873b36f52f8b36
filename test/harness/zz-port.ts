/**
 * A throwaway Orthanc (with its DICOMweb plugin) run as a child process, the real PACS the
 * interop tests talk to. Everything it writes lives in one temp folder that stop() removes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { constants } from 'node:fs'
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getFreePort } from './free-port.ts'

export const ORTHANC_BINARY = '/usr/sbin/Orthanc'
export const ORTHANC_DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so'

export interface OrthancProcess {
  /** e.g. "http://127.0.0.1:40123" */
  url: string
  /** url + "/dicom-web", the DICOMweb service root */
  dicomwebRoot: string
  /** Stores one Part-10 file and returns Orthanc's instance id. */
  uploadFile(path: string): Promise<string>
  stop(): Promise<void>
}

const STARTUP_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 5_000
const LOG_TAIL_LINES = 30

/** Starts Orthanc on a free loopback port and resolves once its REST API answers. */
export async function startOrthanc(): Promise<OrthancProcess> {
  await assertInstalled()
  // Another process may take the port between getFreePort() and Orthanc binding it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce()
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error
    }
  }
}

class PortTakenError extends Error {}

/**
 * Runs Orthanc under /bin/sh so that it cannot outlive the test process, however that ends
 * (stop() never called, Ctrl-C, SIGKILL): the shell watches its stdin, a pipe from this
 * process that closes when the process dies, then stops Orthanc and removes the temp folder.
 * SIGTERM is forwarded to Orthanc, and the shell exits with Orthanc's status.
 */
const SUPERVISOR_SCRIPT = `
dir=$1; shift
exec 3<&0
"$@" </dev/null &
orthanc=$!
trap 'kill -TERM $orthanc 2>/dev/null' TERM INT HUP
( while read -r _ <&3; do :; done; : > "$dir/test-process-gone"; kill -TERM $orthanc 2>/dev/null ) &
watcher=$!
wait $orthanc; status=$?
while kill -0 $orthanc 2>/dev/null; do wait $orthanc; status=$?; done
kill $watcher 2>/dev/null
if [ -e "$dir/test-process-gone" ]; then rm -rf "$dir"; fi
exit $status
`

async function startOnce(): Promise<OrthancProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'orthanc-interop-'))
  const logDir = join(dir, 'logs')
  let child: ChildProcess | undefined
  let exited: Promise<string> = Promise.resolve('not started')

  try {
    const port = process.env.ZZ_PORT ? Number(process.env.ZZ_PORT) : await getFreePort(); delete process.env.ZZ_PORT
    const url = `http://127.0.0.1:${port}`
    const configPath = join(dir, 'config.json')
    await writeFile(configPath, JSON.stringify(orthancConfig(dir, port), null, 2))
    await mkdir(logDir)

    // Early failures (a bad config, a port taken in the race after getFreePort) reach
    // stderr before the log file exists, so keep the last of both streams.
    const output = new OutputTail()
    const spawned = spawn('/bin/sh', ['-c', SUPERVISOR_SCRIPT, 'orthanc-supervisor', dir, ORTHANC_BINARY, `--logdir=${logDir}`, configPath], {
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    child = spawned
    spawned.stdout.on('data', (chunk: Buffer) => output.push(chunk))
    spawned.stderr.on('data', (chunk: Buffer) => output.push(chunk))
    exited = new Promise<string>((resolve) => {
      spawned.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`))
      spawned.once('error', (error) => resolve(`could not be spawned: ${error.message}`))
    })

    await waitForSystem(url, exited, async () => describeLogs(logDir, output))

    const stopped = exited
    return {
      url,
      dicomwebRoot: `${url}/dicom-web`,
      uploadFile: (path) => uploadFile(url, path),
      async stop() {
        await terminate(spawned, stopped)
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    if (child) await terminate(child, exited)
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

/** The configuration of an isolated, unauthenticated, HTTP-only Orthanc. */
function orthancConfig(dir: string, port: number): Record<string, unknown> {
  return {
    Name: 'interop-test',
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'index'),
    // Stored files must stay byte-identical to what was uploaded.
    StorageCompression: false,
    HttpPort: port,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomServerEnabled: false,
    OrthancExplorerEnabled: false,
    WebDavEnabled: false,
    SaveJobs: false,
    Plugins: [ORTHANC_DICOMWEB_PLUGIN],
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      EnableWado: true,
      WadoRoot: '/wado',
      StudiesMetadata: 'Full',
      SeriesMetadata: 'Full',
    },
  }
}

async function assertInstalled(): Promise<void> {
  for (const [path, what] of [
    [ORTHANC_BINARY, 'the Orthanc server'],
    [ORTHANC_DICOMWEB_PLUGIN, 'the Orthanc DICOMweb plugin'],
  ] as const) {
    try {
      await access(path, constants.R_OK)
    } catch {
      throw new Error(
        `${what} is not installed (${path} is missing). The interop tests need the Debian packages ` +
          '"orthanc" and "orthanc-dicomweb": run `apt-get install orthanc orthanc-dicomweb`.',
      )
    }
  }
}

/** Polls GET /system until it answers 200, failing early if Orthanc exits. */
async function waitForSystem(url: string, exited: Promise<string>, logs: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  let exitReason: string | undefined
  void exited.then((reason) => (exitReason = reason))
  let lastError = 'no answer yet'
  while (Date.now() < deadline) {
    if (exitReason !== undefined) {
      const text = await logs()
      const message = `Orthanc ${exitReason} before it answered on ${url}.\n${text}`
      throw /port of the HTTP server is privileged or already in use/.test(text) ? new PortTakenError(message) : new Error(message)
    }
    try {
      const response = await fetch(`${url}/system`, { signal: AbortSignal.timeout(1_000) })
      await response.body?.cancel()
      if (response.ok) return
      lastError = `GET /system answered ${response.status}`
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`Orthanc did not answer on ${url} within ${STARTUP_TIMEOUT_MS} ms (${lastError}).\n${await logs()}`)
}

async function uploadFile(url: string, path: string): Promise<string> {
  const bytes = await readFile(path)
  const response = await fetch(`${url}/instances`, {
    method: 'POST',
    headers: { 'content-type': 'application/dicom' },
    body: bytes,
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`Orthanc refused ${path}: ${response.status} ${text}`)
  const answer = JSON.parse(text) as { ID?: unknown; Status?: unknown }
  if (typeof answer.ID !== 'string') throw new Error(`Orthanc's answer to uploading ${path} has no ID: ${text}`)
  return answer.ID
}

/** SIGTERM to the supervisor, which forwards it; closing its stdin and SIGKILL if that takes too long. */
async function terminate(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)))
  const outcome = await Promise.race([exited, timedOut])
  clearTimeout(timer)
  if (outcome === 'timeout') {
    child.stdin?.destroy()
    child.kill('SIGKILL')
    await exited
  }
}

async function describeLogs(logDir: string, output: OutputTail): Promise<string> {
  let log: string
  try {
    log = tail(await readFile(join(logDir, 'Orthanc.log'), 'utf8'))
  } catch {
    log = '(no Orthanc.log was written)'
  }
  const printed = output.text()
  return `--- tail of Orthanc.log ---\n${log}` + (printed ? `\n--- Orthanc stdout/stderr ---\n${printed}` : '')
}

function tail(text: string): string {
  return text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n')
}

/** The last few KB of a child's output. */
class OutputTail {
  private chunks: Buffer[] = []
  private size = 0

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > 16_384 && this.chunks.length > 1) this.size -= this.chunks.shift()?.length ?? 0
  }

  text(): string {
    return tail(Buffer.concat(this.chunks).toString('utf8'))
  }
}
