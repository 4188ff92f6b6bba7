import { describe, it, expect } from 'vitest';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { parseAddress, tcpConnector } from './node-tcp';

describe('tcpConnector', () => {
  it('parses host:port and [v6]:port', () => {
    expect(parseAddress('localhost:2181')).toEqual({ host: 'localhost', port: 2181 });
    expect(parseAddress('[::1]:3000')).toEqual({ host: '::1', port: 3000 });
    expect(() => parseAddress('nohost')).toThrow();
  });

  it('carries bytes both ways and reports the peer closing', async () => {
    let serverSide: Socket | null = null;
    const server = createServer((s) => {
      serverSide = s;
      s.on('data', (d: Buffer) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const stream = await tcpConnector(`127.0.0.1:${port}`);
      const received = new Promise<string>((resolve) => stream.onData((b) => resolve(new TextDecoder().decode(b))));
      const closed = new Promise<string>((resolve) => stream.onClose(resolve));
      stream.send(new TextEncoder().encode('hi'));
      expect(await received).toBe('echo:hi');
      (serverSide as Socket | null)?.end();
      expect(typeof (await closed)).toBe('string');
    } finally {
      server.close();
    }
  });

  it('rejects when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(tcpConnector(`127.0.0.1:${port}`)).rejects.toThrow();
  });
});
