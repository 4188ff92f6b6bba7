export { checkAcl } from './check-acl';
export { fixupAcl } from './fixup-acl';
export { digestIdFor, digestAuthIds, isValidDigestId } from './digest';
export { ipMatches, isValidIpAcl, parseIpAddress } from './ip-address';
export { base64Encode } from './base64';
