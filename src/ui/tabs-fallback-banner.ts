// The banner of a multi-tab page that fell back to a BroadcastChannel (src/ui/tabs-fallback.ts):
// what happened in plain words, how the tabs are linked now, and the way out ("Simulate N servers
// here"). It sits above the app's root (React does not own it), so it shows from the moment the
// fallback is decided, before the app renders. Built with textContent only: the reason may quote
// an error message, which is text, never HTML.

/** Why the tabs fell back: no PeerServer, no WebRTC at all, or a WebRTC that finds no network interface. */
export type FallbackCause = 'peer-server' | 'no-webrtc' | 'no-network-interface';

/** The words the UI shows for the links of a fallback tab (the PeerServer case). */
export const FALLBACK_LINKS_LABEL = 'links: BroadcastChannel (PeerServer unreachable)';

/** The words the UI shows for the links of a fallback tab, by cause. */
export function fallbackLinksLabel(cause: FallbackCause): string {
  switch (cause) {
    case 'peer-server':
      return FALLBACK_LINKS_LABEL;
    case 'no-webrtc':
      return 'links: BroadcastChannel (no WebRTC)';
    case 'no-network-interface':
      return 'links: BroadcastChannel (WebRTC finds no network interface)';
  }
}

export interface FallbackBannerOptions {
  reason: string;
  size: number;
  simulateHref: string;
  /** Default: the PeerServer case's label. */
  linksLabel?: string;
}

export const FALLBACK_BANNER_ID = 'tabs-fallback-banner';

export function fallbackMessage(reason: string): string {
  const sentence = reason.charAt(0).toUpperCase() + reason.slice(1);
  return `${sentence}. Tabs in other browsers cannot join this cluster; the tabs of this browser still form it, linked over a BroadcastChannel.`;
}

export function showTabsFallbackBanner(doc: Document, options: FallbackBannerOptions): HTMLElement {
  doc.getElementById(FALLBACK_BANNER_ID)?.remove();
  const banner = doc.createElement('div');
  banner.id = FALLBACK_BANNER_ID;
  banner.setAttribute('style', 'display:flex;align-items:center;gap:12px;flex-wrap:wrap;padding:6px 12px;background:#4a3a10;color:#ffe9a8;font:13px/1.4 system-ui,sans-serif;border-bottom:1px solid #7a6020');
  const message = doc.createElement('span');
  message.setAttribute('role', 'alert');
  message.textContent = fallbackMessage(options.reason);
  const links = doc.createElement('span');
  links.setAttribute('role', 'status');
  links.setAttribute('aria-label', 'links');
  links.setAttribute('style', 'font-weight:600');
  links.textContent = options.linksLabel ?? FALLBACK_LINKS_LABEL;
  const simulate = doc.createElement('button');
  simulate.type = 'button';
  simulate.textContent = `Simulate ${options.size} servers here`;
  simulate.title = 'run the whole ensemble in this tab: one worker per server, MessagePorts between them';
  simulate.addEventListener('click', () => doc.defaultView?.location.assign(options.simulateHref));
  banner.append(message, links, simulate);
  const root = doc.getElementById('root');
  if (root !== null && root.parentElement !== null) {
    // The app fills the page: make room for the banner instead of overlapping it.
    root.parentElement.insertBefore(banner, root);
    root.parentElement.style.display = 'flex';
    root.parentElement.style.flexDirection = 'column';
    root.style.flex = '1 1 0';
    root.style.minHeight = '0';
  } else doc.body.prepend(banner);
  return banner;
}
