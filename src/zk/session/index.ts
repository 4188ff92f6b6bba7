export * from './session-id';
export * from './session-password';
export * from './timeout';
export * from './expiry-queue';
export * from './session-table';
export * from './session-serializer';
export * from './java-date';
