// A real HTTP server on 127.0.0.1 that misbehaves on purpose, one way per path: it stalls before or
// during the answer, drips, sends binary or HTML, lies about Content-Length, streams without end,
// redirects in a loop or to nonsense. Used by the network robustness tests.

import * as http from 'http';
import { AddressInfo } from 'net';

export interface BadServer { url: string; close(): Promise<void>; hits: Map<string, number> }

export function startBadServer(routes: Record<string, string> = {}): Promise<BadServer> {
  const hits = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0];
    hits.set(p, (hits.get(p) ?? 0) + 1);
    if (p in routes) { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(routes[p]); return; }
    if (p.startsWith('/stall/')) return; // what git asks for: /stall/info/refs?service=git-upload-pack
    switch (p) {
      case '/stall': return; // accepts, reads the request, never answers
      case '/stall-body': res.writeHead(200, { 'content-length': '1000' }); res.write('[buildout]\n'); return;
      case '/drip': {
        res.writeHead(200);
        const t = setInterval(() => res.write('#'), 50);
        timers.add(t);
        res.on('close', () => { clearInterval(t); timers.delete(t); });
        return;
      }
      case '/binary': res.writeHead(200); res.end(Buffer.from([0x5b, 0x00, 0xff, 0xfe, 0x00, 0x01, 0x02])); return;
      case '/latin1': res.writeHead(200); res.end(Buffer.from('[buildout]\nx = caf\xe9\n', 'latin1')); return;
      case '/html': res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!DOCTYPE html>\n<html><body>\n<h1>Welcome</h1>\n</body></html>\n'); return;
      case '/huge': {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => { while (res.write(chunk)) { /* fill the socket buffer */ } };
        res.on('drain', pump);
        pump();
        return;
      }
      case '/short': res.writeHead(200, { 'content-length': '100000' }); res.write('[buildout]\nparts =\n', () => res.socket?.destroy()); return;
      case '/bad-redirect': res.writeHead(302, { location: 'http://[not-an-address' }); res.end(); return;
      case '/loop': res.writeHead(302, { location: '/loop' }); res.end(); return;
      case '/to-file': res.writeHead(302, { location: 'file:///etc/passwd' }); res.end(); return;
      default: res.writeHead(404, { 'content-type': 'text/html' }); res.end('<html><body><h1>404 Not Found</h1></body></html>\n');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        hits,
        close: () => new Promise<void>((done) => {
          for (const t of timers) clearInterval(t);
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
