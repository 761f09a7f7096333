/**
 * A loopback stand-in for the Hugging Face hub, for `trm models fetch` tests: model info by revision
 * (`/api/models/{repo}/revision/{rev}` → `{sha}`), the tree API (`/api/models/{repo}/tree/{sha}` → files
 * with `oid` (git blob sha1), `size` and, for LFS files, `lfs: {oid: sha256, size}`) and file downloads
 * (`/{repo}/resolve/{sha}/{path}`, with HTTP Range). Faults on demand: a file served with other bytes than
 * its checksum, a download cut off after some bytes (once), 404s.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubRepo {
  repo: string;
  /** The full commit id (40 hex). */
  sha: string;
  /** Files by path; those under onnx/ are served as LFS files. */
  files: Map<string, Uint8Array>;
}

export interface HubFaults {
  /** Serve these paths with their last byte flipped (checksums stay those of the true bytes). */
  corrupt?: Set<string>;
  /** Cut the connection after this many bytes of this path, the first time it is downloaded. */
  breakOnce?: { path: string; after: number };
}

export interface HubServer {
  endpoint: string;
  /** Every request's method and path, in order. */
  requests: string[];
  faults: HubFaults;
  close(): Promise<void>;
}

const gitBlob = (bytes: Uint8Array) =>
  createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function startHubServer(repos: HubRepo[], faults: HubFaults = {}): Promise<HubServer> {
  const requests: string[] = [];
  const state: HubServer['faults'] = faults;
  let broken = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${req.headers.range ? ` ${req.headers.range}` : ''}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/(revision|tree)\/([^/]+)$/.exec(url.pathname);
    if (api) {
      const repo = repos.find((r) => r.repo === api[1]);
      if (!repo) return send(404, { error: 'Repository not found' });
      if (api[2] === 'revision') {
        if (api[3] !== 'main' && !repo.sha.startsWith(api[3]!)) return send(404, { error: 'Invalid rev id' });
        return send(200, { id: repo.repo, sha: repo.sha });
      }
      if (api[3] !== repo.sha) return send(404, { error: 'Invalid rev id' });
      return send(
        200,
        [...repo.files].map(([path, bytes]) => ({
          type: 'file',
          path,
          oid: gitBlob(bytes),
          size: bytes.byteLength,
          ...(path.startsWith('onnx/') ? { lfs: { oid: sha256(bytes), size: bytes.byteLength } } : {}),
        })),
      );
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const repo = resolve && repos.find((r) => r.repo === resolve[1]);
    const file = repo && resolve[2] === repo.sha ? repo.files.get(resolve[3]!) : undefined;
    if (!resolve || !file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('Entry not found');
    }
    const path = resolve[3]!;
    let bytes = Buffer.from(file);
    if (state.corrupt?.has(path)) {
      bytes = Buffer.from(bytes);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const body = bytes.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(body.byteLength),
      ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    if (state.breakOnce && state.breakOnce.path === path && !broken) {
      broken = true;
      // Close the connection cleanly (FIN, not a reset) once the bytes are out, so the client reads
      // them before it sees the body end short of its content-length.
      res.write(body.subarray(0, state.breakOnce.after), () => setTimeout(() => res.socket?.end(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    faults: state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
