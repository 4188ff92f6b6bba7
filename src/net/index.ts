// Public surface of src/net that runs everywhere (browser, worker, Node, simulator).
// tcp-transport.ts is Node-only (node:net): import it directly from Node hosts.
export * from './byte-stream';
export * from './transport';
export * from './clock';
export * from './link-policy';
export * from './outbox';
export * from './chunking';
export * from './memory-transport';
export * from './faulty-transport';
export * from './message-port-transport';
export * from './peer-hello';
