// On the wire, a node with null data answers getData with a data length of -1 (Java's
// writeBuffer(null)), exactly as FinalRequestProcessor's GetDataResponse does; empty data is 0.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../jute/opcodes';
import { Code } from '../errors';
import { CreateMode, OPEN_ACL_UNSAFE } from '../types';
import { serializeTree } from '../datatree';
import { Harness } from './test-harness';

const acl = [...OPEN_ACL_UNSAFE];
// frame length (4) + ReplyHeader (xid 4, zxid 8, err 4)
const BODY_OFFSET = 4 + 16;

function rawReply(h: Harness, connection: number, xid: number): DataView {
  for (const bytes of h.rawSent.get(connection) ?? []) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length >= BODY_OFFSET && view.getInt32(4) === xid) return view;
  }
  throw new Error(`no raw reply to xid ${xid}`);
}

function setup(): Harness {
  const h = new Harness();
  h.connect(1);
  h.send(1, { op: OpCode.create, path: '/nul', data: null, acl, flags: CreateMode.PERSISTENT });
  h.send(1, { op: OpCode.create, path: '/empty', data: new Uint8Array(0), acl, flags: CreateMode.PERSISTENT });
  return h;
}

describe('server: null data on the wire', () => {
  it('getData of a null node writes length -1; of an empty node length 0; both stats say dataLength 0', () => {
    const h = setup();
    const nul = h.send(1, { op: OpCode.getData, path: '/nul', watch: false });
    const empty = h.send(1, { op: OpCode.getData, path: '/empty', watch: false });
    const nulView = rawReply(h, 1, nul);
    const emptyView = rawReply(h, 1, empty);
    expect(nulView.getInt32(BODY_OFFSET - 4)).toBe(Code.OK); // err
    expect(nulView.getInt32(BODY_OFFSET)).toBe(-1);
    expect(emptyView.getInt32(BODY_OFFSET)).toBe(0);
    // -1 carries no data bytes: the frame is the header, the length and the 68-byte Stat.
    expect(nulView.byteLength).toBe(BODY_OFFSET + 4 + 68);
    expect(h.reply(1, nul).response).toMatchObject({ data: null, stat: { dataLength: 0 } });
    expect(h.reply(1, empty).response).toMatchObject({ data: new Uint8Array(0), stat: { dataLength: 0 } });
  });

  it('multiRead getData results carry -1 for null data', () => {
    const h = setup();
    const xid = h.send(1, {
      op: OpCode.multiRead,
      ops: [
        { op: OpCode.getData, path: '/nul', watch: false },
        { op: OpCode.getData, path: '/empty', watch: false },
      ],
    });
    const view = rawReply(h, 1, xid);
    // MultiHeader{type 4, done false, err 0} is 9 bytes, then the data length.
    expect(view.getInt32(BODY_OFFSET)).toBe(OpCode.getData);
    expect(view.getInt32(BODY_OFFSET + 9)).toBe(-1);
    expect(h.reply(1, xid).response).toMatchObject({
      results: [
        { op: OpCode.getData, data: null },
        { op: OpCode.getData, data: new Uint8Array(0) },
      ],
    });
  });

  it('setData with null, in a multi too, makes later getData answer -1', () => {
    const h = setup();
    h.send(1, { op: OpCode.create, path: '/s', data: new Uint8Array([1, 2]), acl, flags: 0 });
    h.send(1, { op: OpCode.create, path: '/m', data: new Uint8Array([3]), acl, flags: 0 });
    const set = h.send(1, { op: OpCode.setData, path: '/s', data: null, version: -1 });
    expect(h.reply(1, set).response).toMatchObject({ stat: { dataLength: 0, version: 1 } });
    h.send(1, { op: OpCode.multi, ops: [{ op: OpCode.setData, path: '/m', data: null, version: -1 }] });
    for (const path of ['/s', '/m']) {
      const get = h.send(1, { op: OpCode.getData, path, watch: false });
      expect(rawReply(h, 1, get).getInt32(BODY_OFFSET), path).toBe(-1);
    }
  });

  it('recovery from the log keeps null data apart from empty', () => {
    const h = setup();
    const restored = new Harness({}, { recovered: { snapshot: null, log: h.log } });
    expect(restored.server.tree.getData('/nul')?.data).toBeNull();
    expect(restored.server.tree.getData('/empty')?.data).toEqual(new Uint8Array(0));
    expect(serializeTree(restored.server.tree)).toEqual(serializeTree(h.server.tree));
  });
});
