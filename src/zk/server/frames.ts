// Bytes arriving on a connection: framing (a bad or oversized length closes the connection),
// four-letter words in the first 4 bytes, then the handshake and requests.
import { FrameError } from '../../jute/framing';
import { JuteError } from '../../jute/jute-io';
import type { ServerCore } from './server-core';
import { MAX_HELD_FRAMES, type Connection } from './connection';
import { handleConnectFrame } from './handshake';
import { handleRequestFrame } from './request-frames';
import { fourLetterWordAllowed, notWhitelistedText, runFourLetterWord } from './four-letter';
import { fourLetterView } from './four-letter-view';

const textEncoder = new TextEncoder();

export function handleConnectionData(core: ServerCore, conn: Connection, bytes: Uint8Array): void {
  let frames: Uint8Array[];
  try {
    frames = conn.decoder.push(bytes);
  } catch (e) {
    if (!(e instanceof JuteError)) throw e;
    const detail = e instanceof FrameError ? `Len error ${e.declaredLength}` : e.message;
    core.trace({ type: 'warn', message: `connection ${conn.id} from ${conn.remoteAddress}: ${detail}, closing` });
    core.closeConnection(conn);
    return;
  }
  if (conn.decoder.fourLetterWord !== null) {
    runCommand(core, conn, conn.decoder.fourLetterWord);
    return;
  }
  if (frames.length > 0 && core.roleView() === null) {
    // A quorum server that does not serve (LOOKING, syncing) closes client connections.
    core.trace({ type: 'warn', message: `connection ${conn.id}: ZooKeeperServer not running, closing` });
    core.closeConnection(conn);
    return;
  }
  handleFrames(core, conn, frames);
}

/** Handles whole frames in order; stops as soon as the connection closes. */
export function handleFrames(core: ServerCore, conn: Connection, frames: readonly Uint8Array[]): void {
  for (const frame of frames) {
    if (conn.phase === 'closed') return;
    core.stats.packetsReceived++;
    conn.stats.packetsReceived++;
    switch (conn.phase) {
      case 'handshake':
        handleConnectFrame(core, conn, frame);
        break;
      case 'awaitingSession':
        if (conn.held.length >= MAX_HELD_FRAMES) {
          core.trace({ type: 'warn', message: `connection ${conn.id}: too many requests before the session exists` });
          core.closeConnection(conn);
          return;
        }
        // Counted once, when the frame is finally handled.
        core.stats.packetsReceived--;
        conn.stats.packetsReceived--;
        conn.held.push(frame);
        break;
      case 'open':
        handleRequestFrame(core, conn, frame);
        break;
    }
  }
}

function runCommand(core: ServerCore, conn: Connection, word: string): void {
  core.stats.packetsReceived++;
  conn.stats.packetsReceived++;
  if (word === 'telnet close') {
    core.closeConnection(conn);
    return;
  }
  const allowed = fourLetterWordAllowed(word, core.config.fourLetterWords);
  core.trace({ type: 'request', sessionId: 0n, cxid: 0, op: `4lw:${word}` });
  const text = allowed ? runFourLetterWord(word, fourLetterView(core, conn)) : notWhitelistedText(word);
  if (text.length > 0) core.sendRaw(conn, textEncoder.encode(text));
  core.closeConnection(conn);
}
