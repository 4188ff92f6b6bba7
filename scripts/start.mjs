// `npm start`: the local PeerServer (WebRTC signalling for later phases) and the Vite dev server,
// both on 127.0.0.1, stopped together on SIGINT/SIGTERM. No cloud service is involved.
import { PeerServer } from 'peer';
import { createServer } from 'vite';

const HOST = '127.0.0.1';
const PORT = parsePort(process.env.PORT, 5173, 'PORT');
const PEER_PORT = parsePort(process.env.PEER_PORT, 9000, 'PEER_PORT');
const PEER_PATH = '/peerjs';
const SHUTDOWN_GRACE_MS = 3000;

function parsePort(text, fallback, name) {
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`ZooTabs: ${name} must be a TCP port number, got "${text}"`);
    process.exit(2);
  }
  return port;
}

function startPeerServer() {
  return new Promise((resolve, reject) => {
    let settled = false;
    const peer = PeerServer({ host: HOST, port: PEER_PORT, path: PEER_PATH, allow_discovery: true }, (server) => {
      settled = true;
      resolve(server);
    });
    peer.on('error', (error) => {
      if (!settled) reject(error);
      else console.error('ZooTabs: PeerServer error:', error.message);
    });
  });
}

async function main() {
  // The page learns where the signalling server is from these (import.meta.env.VITE_*).
  process.env.PORT = String(PORT);
  process.env.VITE_PEER_HOST = HOST;
  process.env.VITE_PEER_PORT = String(PEER_PORT);
  process.env.VITE_PEER_PATH = PEER_PATH;

  let peerHttp;
  try {
    peerHttp = await startPeerServer();
  } catch (error) {
    console.error(`ZooTabs: could not start the PeerServer on ${HOST}:${PEER_PORT}: ${error.message}`);
    process.exit(1);
  }
  const vite = await createServer({ server: { host: HOST, port: PORT, strictPort: true } });
  try {
    await vite.listen();
  } catch (error) {
    console.error(`ZooTabs: could not start Vite on ${HOST}:${PORT}: ${error.message}`);
    peerHttp.close();
    process.exit(1);
  }
  console.log(`ZooTabs: PeerServer on http://${HOST}:${PEER_PORT}${PEER_PATH}`);
  console.log(`ZooTabs: open http://localhost:${PORT}/`);

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`ZooTabs: ${signal}, stopping`);
    // Whatever hangs (an open WebSocket, a watcher), the process still ends.
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    await vite.close().catch((error) => console.error('ZooTabs: vite close:', error.message));
    peerHttp.closeAllConnections?.();
    await new Promise((resolve) => peerHttp.close(() => resolve()));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error('ZooTabs: start failed:', error);
  process.exit(1);
});
