// Several small frames in one data channel message. A data channel send costs far more than the
// bytes it carries (a DedicatedWorker profile at 32 writes in flight spent a fifth of its time in
// RTCDataChannel.send), and a leader sends a PROPOSAL and a COMMIT to every follower per write, so
// frames queued to one peer in one turn go out together.
//
// Packed message layout: u8 PACKED_FLAG | (u32 frame length | frame bytes)+
// The flag byte shares its position with chunking.ts's chunk flags (1 = first, 2 = last), so a
// receiver tells packed messages from chunks by the first byte. Frames too big to share a message
// are chunked as before.
import { ChunkError, chunkFrames } from './chunking';

export const PACKED_FLAG = 4;
const LENGTH_BYTES = 4;

export function isPacked(message: Uint8Array): boolean {
  return message.length > 0 && message[0] === PACKED_FLAG;
}

/** The messages that carry `frames` in order: small neighbours packed, big ones chunked. */
export function packFrames(frames: readonly Uint8Array[], maxMessageBytes: number): Uint8Array[] {
  const messages: Uint8Array[] = [];
  let group: Uint8Array[] = [];
  let groupBytes = 1;
  const closeGroup = (): void => {
    if (group.length === 1) messages.push(...chunkFrames(group[0]!, maxMessageBytes));
    else if (group.length > 1) messages.push(packGroup(group, groupBytes));
    group = [];
    groupBytes = 1;
  };
  for (const frame of frames) {
    const cost = LENGTH_BYTES + frame.length;
    if (1 + cost > maxMessageBytes) {
      closeGroup();
      messages.push(...chunkFrames(frame, maxMessageBytes));
      continue;
    }
    if (groupBytes + cost > maxMessageBytes) closeGroup();
    group.push(frame);
    groupBytes += cost;
  }
  closeGroup();
  return messages;
}

function packGroup(frames: readonly Uint8Array[], totalBytes: number): Uint8Array {
  const message = new Uint8Array(totalBytes);
  const view = new DataView(message.buffer);
  message[0] = PACKED_FLAG;
  let offset = 1;
  for (const frame of frames) {
    view.setUint32(offset, frame.length);
    message.set(frame, offset + LENGTH_BYTES);
    offset += LENGTH_BYTES + frame.length;
  }
  return message;
}

/** The frames of a packed message; ChunkError when its lengths do not add up. */
export function unpackFrames(message: Uint8Array, maxFrameBytes: number): Uint8Array[] {
  if (!isPacked(message)) throw new ChunkError('not a packed message');
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const frames: Uint8Array[] = [];
  let offset = 1;
  while (offset < message.length) {
    if (offset + LENGTH_BYTES > message.length) throw new ChunkError('packed message ends inside a length');
    const length = view.getUint32(offset);
    if (length > maxFrameBytes) throw new ChunkError(`packed frame of ${length} bytes exceeds ${maxFrameBytes}`);
    const start = offset + LENGTH_BYTES;
    if (start + length > message.length) throw new ChunkError(`packed frame of ${length} bytes overruns the message`);
    frames.push(message.slice(start, start + length));
    offset = start + length;
  }
  if (frames.length === 0) throw new ChunkError('empty packed message');
  return frames;
}
