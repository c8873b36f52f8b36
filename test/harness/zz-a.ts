import { startOrthanc } from './orthanc-process.ts'
const mode = process.argv[2]
const o = await startOrthanc()
console.log('up', o.url, (await fetch(o.url + '/system')).status)
if (mode === 'stop') { await o.stop(); console.log('stopped') }
else if (mode === 'forget') { console.log('exiting without stop'); process.exit(0) }
else if (mode === 'sigkill') { console.log('killing myself'); process.kill(process.pid, 'SIGKILL') }
