/**
 * Priors: the earlier studies of a study's patient that a reader compares it with. The one
 * definition, as SQL, shared by the worklist (which lists them) and study access (which lets
 * the reader retrieve them), so the two can never disagree.
 *
 * A prior of study C is another study with the same non-empty PatientID in the same facility
 * (PatientIDs are only unique within the facility that issued them) that was acquired before C:
 * (StudyDate, StudyTime) compared as text, separators dropped. A study without a date sorts
 * before every dated one, so it counts as older: an undated study is usually a digitised or
 * migrated old one, and listing it last is more useful than hiding it. Studies with the same
 * date and time are not priors of each other. The most recent MAX_PRIORS are kept.
 */

/** More priors than this are rarely compared, and each one costs the workstation a download. */
export const MAX_PRIORS = 5

// "C" collation: ordering by the digits themselves, whatever the database's locale.
const sortDate = (alias: string) => `(regexp_replace(${alias}.study_date, '[^0-9]', '', 'g') collate "C")`
const sortTime = (alias: string) => `(regexp_replace(${alias}.study_time, '[^0-9.]', '', 'g') collate "C")`

/**
 * A subquery over `studies pr` giving the priors of the study aliased `current` in the
 * enclosing query, most recent first, with the given select list (which may use `pr`).
 * The chronological sort keys are selected too, as `prior_sort_date` and `prior_sort_time`.
 */
export function priorStudiesSql(current: string, columns: string): string {
  return `select ${columns}, ${sortDate('pr')} as prior_sort_date, ${sortTime('pr')} as prior_sort_time
            from studies pr
           where pr.facility_id = ${current}.facility_id
             and pr.patient_id = ${current}.patient_id and ${current}.patient_id <> ''
             and pr.study_instance_uid <> ${current}.study_instance_uid
             and (${sortDate('pr')}, ${sortTime('pr')}) < (${sortDate(current)}, ${sortTime(current)})
           order by prior_sort_date desc, prior_sort_time desc, pr.study_instance_uid
           limit ${MAX_PRIORS}`
}
