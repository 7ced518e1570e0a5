// The names of the courses' buttons ("<name>:<argument>"), shared by the notices that draw them and the handler that
// runs them (./actions.ts): an offer's Accept / Decline ("courseAccept:12"), the three-month answer
// ("courseOutcome:12-yes", the argument being "<registrationId>-<yes|partly|notYet>").
export const COURSE_ACCEPT = 'courseAccept';
export const COURSE_DECLINE = 'courseDecline';
export const COURSE_OUTCOME = 'courseOutcome';
export const COURSE_ACTIONS = [COURSE_ACCEPT, COURSE_DECLINE, COURSE_OUTCOME] as const;
