/**
 * The checks a finding master needs beyond its schema: codes unique, every reference a finding
 * makes (scale, body parts, judgements) resolvable, the default among the allowed, template
 * fields known. Each problem names where it is as a path into the master, so a JSON import can
 * answer with JSON pointers and a CSV import with the line the item came from.
 */
import type { MasterContent } from './finding-master-repository.ts'

export type MasterPath = ReadonlyArray<string | number>

export interface MasterProblem {
  path: MasterPath
  message: string
}

/** The fill-in fields a template may use; the report editor tabs through exactly these. */
export const TEMPLATE_FIELDS = ['laterality', 'location', 'size'] as const

function duplicates<T>(items: readonly T[], key: (item: T) => string, where: (index: number) => MasterPath, what: string): MasterProblem[] {
  const seen = new Map<string, number>()
  const problems: MasterProblem[] = []
  items.forEach((item, index) => {
    const k = key(item)
    const first = seen.get(k)
    if (first === undefined) seen.set(k, index)
    else problems.push({ path: where(index), message: `${what} "${k}" is defined twice (first at ${pointerOf(where(first))})` })
  })
  return problems
}

/** "/findings/3/defaultJudgement" from ['findings', 3, 'defaultJudgement'] (RFC 6901 escaping). */
export function pointerOf(path: MasterPath): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

/** Every referential problem in a master that already passed its schema; empty when it is consistent. */
export function masterProblems(master: MasterContent): MasterProblem[] {
  const problems: MasterProblem[] = []
  problems.push(...duplicates(master.scales, (s) => s.code, (i) => ['scales', i, 'code'], 'Scale'))
  master.scales.forEach((scale, s) => {
    problems.push(...duplicates(scale.values, (v) => v.code, (i) => ['scales', s, 'values', i, 'code'], `Judgement of scale ${scale.code}`))
    // Without a normal value a report with no findings would have no overall judgement.
    if (!scale.values.some((v) => v.normal)) problems.push({ path: ['scales', s, 'values'], message: `Scale "${scale.code}" has no value in the normal range` })
  })
  problems.push(...duplicates(master.bodyParts, (b) => b.code, (i) => ['bodyParts', i, 'code'], 'Body part'))
  problems.push(...duplicates(master.findings, (f) => f.code, (i) => ['findings', i, 'code'], 'Finding'))
  problems.push(...duplicates(master.rules, (r) => r.kind, (i) => ['rules', i, 'kind'], 'Rule'))

  const bodyParts = new Set(master.bodyParts.map((b) => b.code))
  master.findings.forEach((finding, f) => {
    const at = (...rest: Array<string | number>): MasterPath => ['findings', f, ...rest]
    const scale = master.scales.find((s) => s.code === finding.scale)
    if (!scale) problems.push({ path: at('scale'), message: `Finding "${finding.code}" uses scale "${finding.scale}", which the master does not define` })
    finding.bodyParts.forEach((code, i) => {
      if (!bodyParts.has(code)) problems.push({ path: at('bodyParts', i), message: `Finding "${finding.code}" names body part "${code}", which the master does not define` })
    })
    if (scale) {
      finding.allowedJudgements.forEach((code, i) => {
        if (!scale.values.some((v) => v.code === code)) {
          problems.push({ path: at('allowedJudgements', i), message: `Finding "${finding.code}" allows judgement "${code}", which scale "${scale.code}" does not have` })
        }
      })
    }
    if (!finding.allowedJudgements.includes(finding.defaultJudgement)) {
      problems.push({ path: at('defaultJudgement'), message: `Finding "${finding.code}" defaults to "${finding.defaultJudgement}", which is not among its allowed judgements` })
    }
    for (const language of ['ja', 'en'] as const) {
      for (const [, field] of finding.template[language].matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
        if (!(TEMPLATE_FIELDS as readonly string[]).includes(field ?? '')) {
          problems.push({ path: at('template', language), message: `Template field "{{${field}}}" is not one of ${TEMPLATE_FIELDS.map((t) => `{{${t}}}`).join(', ')}` })
        }
      }
    }
  })
  return problems
}
