// node-zookeeper-client ships no types; it is used only by tests and benchmarks, loosely typed here.
declare module 'node-zookeeper-client' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const zookeeper: any;
  export default zookeeper;
}
