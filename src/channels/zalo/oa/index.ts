export { createZaloOaChannel, type ZaloOaChannel, type ZaloOaChannelOptions, type ZaloOaStats } from './channel.ts';
export { signatureHeader, SIGNATURE_HEADER } from './signature.ts';
