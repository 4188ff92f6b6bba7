// Chroot: client paths are relative to the connect string's suffix (Java's client.Chroot).

export class Chroot {
  /** `root` is a validated path without trailing slash, or null for no chroot. */
  constructor(readonly root: string | null) {}

  /** Client path -> server path ("/" maps to the chroot itself). */
  prepend(clientPath: string): string {
    if (this.root === null) return clientPath;
    return clientPath.length === 1 ? this.root : this.root + clientPath;
  }

  /**
   * Server path -> client path. A path outside the chroot (the unchrooted /zookeeper/config watch
   * of getConfig) is left as it is instead of being mangled.
   */
  strip(serverPath: string): string {
    if (this.root === null) return serverPath;
    if (serverPath === this.root) return '/';
    if (serverPath.startsWith(this.root + '/')) return serverPath.substring(this.root.length);
    return serverPath;
  }
}
