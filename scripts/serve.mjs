// `npm run serve`: the built app (`npm run build` -> dist/) and its PeerServer, for use on a LAN.
//   HOST       address to listen on (default 0.0.0.0: every interface, so other machines can open it)
//   DIST_DIR   the built app (default dist/)
//   PORT       the app (default 8080); PEER_PORT the PeerServer (default 9000, path /peerjs)
//   ICE_SERVERS  JSON list of RTCIceServer for tabs on machines that are not on one network, e.g.
//              '[{"urls":"stun:stun.example.org:3478"},{"urls":"turn:turn.example.org","username":"u","credential":"p"}]'
// The page learns the PeerServer port and the ICE servers from a small config script this server
// puts into index.html (window.__ZOOTABS_CONFIG__); the PeerServer host is the host the page was
// loaded from, so the same build works on any address.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PeerServer } from 'peer';

const ROOT = path.resolve(process.env.DIST_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
const HOST = process.env.HOST ?? '0.0.0.0';
const PORT = parsePort(process.env.PORT, 8080, 'PORT');
const PEER_PORT = parsePort(process.env.PEER_PORT, 9000, 'PEER_PORT');
const ICE_SERVERS = parseIceServers(process.env.ICE_SERVERS);
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

function parsePort(text, fallback, name) {
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`${name} must be a TCP port number, got "${text}"`);
  return port;
}

function parseIceServers(text) {
  if (text === undefined || text === '') return [];
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(`ICE_SERVERS is not JSON: ${error.message}`);
  }
  const ok = Array.isArray(value) && value.every((s) => s !== null && typeof s === 'object' && (typeof s.urls === 'string' || Array.isArray(s.urls)));
  if (!ok) fail('ICE_SERVERS must be a JSON list of {"urls": ..., "username"?, "credential"?}');
  return value;
}

function fail(message) {
  console.error(`ZooTabs: ${message}`);
  process.exit(2);
}

function indexHtml() {
  const config = JSON.stringify({ peerPort: PEER_PORT, peerPath: '/peerjs', iceServers: ICE_SERVERS }).replace(/</g, '\\u003c');
  const html = readFileSync(path.join(ROOT, 'index.html'), 'utf8');
  return html.replace('<head>', `<head><script>window.__ZOOTABS_CONFIG__=${config}</script>`);
}

function serveFile(request, response) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  let file = path.normalize(path.join(ROOT, decodeURIComponent(url.pathname)));
  if (!file.startsWith(ROOT)) {
    response.writeHead(403).end('forbidden');
    return;
  }
  if (url.pathname === '/' || !existsSync(file) || statSync(file).isDirectory()) {
    if (path.extname(url.pathname) !== '' && url.pathname !== '/index.html') {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-cache' }).end(indexHtml());
    return;
  }
  response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(response);
}

if (!existsSync(path.join(ROOT, 'index.html'))) fail('dist/ has no index.html: run `npm run build` first');
const peer = PeerServer({ host: HOST, port: PEER_PORT, path: '/peerjs', allow_discovery: true });
peer.on('error', (error) => console.error('ZooTabs: PeerServer error:', error.message));
const http = createServer(serveFile);
http.on('error', (error) => fail(`could not serve on ${HOST}:${PORT}: ${error.message}`));
http.listen(PORT, HOST, () => {
  console.log(`ZooTabs (built): http://${HOST === '0.0.0.0' ? '<this machine>' : HOST}:${PORT}/  PeerServer :${PEER_PORT}/peerjs  ICE servers: ${ICE_SERVERS.length}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    http.close();
    process.exit(0);
  });
}
