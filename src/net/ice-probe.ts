// Can WebRTC reach anything from this machine? A reachable PeerServer is not enough: a machine with
// only a loopback interface (or a browser whose WebRTC IP policy forbids non-proxied UDP) gathers
// no ICE candidates at all, and its tabs then register fine but never link, silently
// (/work/shared/docs/browser-platform.md). This probe makes one local offer and watches ICE
// gathering: one candidate is proof enough; none by the time gathering completes means WebRTC finds
// no network interface (the bound running out proves nothing).

/** The part of RTCPeerConnection the probe uses (a fake in the tests). */
export interface IceProbeConnection {
  createDataChannel(label: string): unknown;
  createOffer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description: RTCSessionDescriptionInit): Promise<void>;
  readonly iceGatheringState: string;
  onicecandidate: ((event: { candidate: { candidate: string } | null }) => void) | null;
  onicegatheringstatechange: (() => void) | null;
  close(): void;
}

export type IceProbeConnectionFactory = (config: { iceServers: RTCIceServer[] }) => IceProbeConnection;

/** Host candidates come within ~150 ms; the bound only matters when gathering never completes. */
export const ICE_PROBE_TIMEOUT_MS = 3000;

export type IceProbeResult =
  | { kind: 'candidates' }
  /** `complete`: gathering finished with none; else the bound ran out first. */
  | { kind: 'none'; complete: boolean; waitedMs: number }
  | { kind: 'failed'; message: string };

export interface IceProbeOptions {
  iceServers?: RTCIceServer[];
  /** Default: the browser's RTCPeerConnection. */
  create?: IceProbeConnectionFactory;
  timeoutMs?: number;
}

/** Gathers ICE candidates for one throw-away offer; never rejects. */
export async function probeIceCandidates(options: IceProbeOptions = {}): Promise<IceProbeResult> {
  const timeoutMs = options.timeoutMs ?? ICE_PROBE_TIMEOUT_MS;
  let connection: IceProbeConnection;
  try {
    connection = (options.create ?? browserConnection)({ iceServers: options.iceServers ?? [] });
  } catch (error) {
    return { kind: 'failed', message: messageOf(error) };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const gathered = new Promise<IceProbeResult>((resolve) => {
      const none = (complete: boolean): void => resolve({ kind: 'none', complete, waitedMs: timeoutMs });
      connection.onicecandidate = (event) => {
        // A null candidate (or an empty one) marks the end of gathering, not an address.
        if (event.candidate !== null && event.candidate.candidate !== '') resolve({ kind: 'candidates' });
        else none(true);
      };
      connection.onicegatheringstatechange = () => {
        if (connection.iceGatheringState === 'complete') none(true);
      };
      timer = setTimeout(() => none(false), timeoutMs);
    });
    connection.createDataChannel('zootabs-ice-probe');
    await connection.setLocalDescription(await connection.createOffer());
    return await gathered;
  } catch (error) {
    return { kind: 'failed', message: messageOf(error) };
  } finally {
    clearTimeout(timer);
    connection.onicecandidate = null;
    connection.onicegatheringstatechange = null;
    connection.close();
  }
}

/** Plain words for a probe that found no way out, or null when WebRTC can link tabs. */
export function iceProblem(result: IceProbeResult): string | null {
  switch (result.kind) {
    case 'candidates':
      return null;
    case 'none':
      // Only a gathering that finished empty is proof (it does within ~150 ms). A slow one is not: a
      // busy machine may take long to gather, and falling back then would split this tab from the
      // others, which link over WebRTC.
      return result.complete
        ? 'WebRTC finds no network interface on this machine (it gathered no ICE candidates), so tabs cannot connect to each other directly'
        : null;
    case 'failed':
      return `WebRTC could not start on this machine (${result.message}), so tabs cannot connect to each other directly`;
  }
}

function browserConnection(config: { iceServers: RTCIceServer[] }): IceProbeConnection {
  const Ctor = (globalThis as { RTCPeerConnection?: new (config: RTCConfiguration) => unknown }).RTCPeerConnection;
  if (typeof Ctor !== 'function') throw new Error('this browser has no RTCPeerConnection');
  return new Ctor(config) as IceProbeConnection;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
