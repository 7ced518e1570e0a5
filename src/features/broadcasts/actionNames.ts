// The names of the broadcasts' buttons and typed commands ("<name>:<argument>", the argument being the broadcast id),
// shared by the notices and renderings that draw them and the handlers that run them:
// - bcTap: a member taps a broadcast's action button (counted, then its target flow starts; member side);
// - bcApprove / bcReject: the second admin's decision on a broadcast awaiting approval (admin side);
// - bcCancel: an admin stops a scheduled or running broadcast; bcProgress: its live progress (admin side).
export const BC_TAP = 'bcTap';
export const BC_APPROVE = 'bcApprove';
export const BC_REJECT = 'bcReject';
export const BC_CANCEL = 'bcCancel';
export const BC_PROGRESS = 'bcProgress';
export const BROADCAST_ACTIONS = [BC_TAP, BC_APPROVE, BC_REJECT, BC_CANCEL, BC_PROGRESS] as const;
