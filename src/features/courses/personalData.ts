// Her course registrations as personal data (features/privacy/registry.ts): "my data" lists each course with its
// status and the support level stored for her (only the resulting group and amount — never her answers about
// disability or ethnicity); erasing her data deletes them, and each seat she held goes to the first person waiting.
import { formatIsoDate } from '../../domain/time.ts';
import type { PersonalDataKind } from '../privacy/registry.ts';
import { courseTitle } from './presenter.ts';
import type { CourseServiceInternals } from './service.ts';

export function courseRegistrationsDataKind(service: CourseServiceInternals): PersonalDataKind {
  return {
    id: 'courseRegistrations',
    models: ['CourseRegistration'],
    title: 'courseNotices:myData.title',
    note:
      'kept while she is a member: the trained / earning figures the Union reports are counted from them; erased ' +
      'with her data (her seat is offered on)',
    async summarise(ctx) {
      const { member, t } = ctx;
      const list = await service.mine(member);
      return list.reverse().map(({ registration: r, course }) =>
        [
          t('courseNotices:myData.line', {
            title: courseTitle(course, member.language),
            start: formatIsoDate(course.startDate, member.language),
            status: t(`courseNotices:statuses.${r.status}`),
          }),
          r.supportGroup === null
            ? t('courseNotices:myData.noSupport')
            : t('courseNotices:myData.support', {
                group: t(`courseNotices:supportGroups.${r.supportGroup}`),
                vnd: (r.supportVnd ?? 0).toLocaleString(member.language === 'vi' ? 'vi-VN' : 'en-US'),
              }),
          ...(r.outcome
            ? [t('courseNotices:myData.outcome', { outcome: t(`courseNotices:outcomes.${r.outcome}`) })]
            : []),
        ].join('\n'),
      );
    },
    erase: (member) => service.eraseMember(member),
  };
}
