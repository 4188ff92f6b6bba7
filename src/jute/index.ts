// Public surface of the jute wire codec.
export * from './opcodes';
export * from './jute-io';
export * from './data-records';
export * from './session-records';
export * from './op-records';
export * from './response-records';
export * from './multi';
export * from './handshake';
export * from './requests';
export * from './responses';
export * from './txn-codec';
export * from './four-letter-word';
export * from './framing';
