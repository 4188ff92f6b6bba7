// The connect handshake: the first frame each way carries a bare ConnectRequest/ConnectResponse.
import { JuteReader, JuteWriter } from './jute-io';
import type { JuteReaderOptions } from './jute-io';
import { ConnectRequestCodec, ConnectResponseCodec } from './session-records';
import type { ConnectRequest, ConnectResponse } from './session-records';

export function encodeConnectRequest(request: ConnectRequest): Uint8Array {
  const w = new JuteWriter();
  ConnectRequestCodec.write(w, request);
  return w.toBytes();
}

/** readOnly is undefined when an old client omitted it; echo that in the response. */
export function decodeConnectRequest(bytes: Uint8Array, options?: JuteReaderOptions): ConnectRequest {
  return ConnectRequestCodec.read(new JuteReader(bytes, options));
}

export function encodeConnectResponse(response: ConnectResponse): Uint8Array {
  const w = new JuteWriter();
  ConnectResponseCodec.write(w, response);
  return w.toBytes();
}

export function decodeConnectResponse(bytes: Uint8Array, options?: JuteReaderOptions): ConnectResponse {
  return ConnectResponseCodec.read(new JuteReader(bytes, options));
}
