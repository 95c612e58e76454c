import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";

/**
 * Serves one viewer page on the loopback interface (never on other
 * interfaces: replays may hold private data). `port` 0 picks a free port.
 * Resolves once listening, with the URL and the server (close it to stop).
 */
export function serveViewer(file: string, port = 0): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || !(req.url === "/" || req.url?.startsWith("/viewer.html") || req.url?.startsWith("/?"))) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    // Read per request, so a rewritten page shows on reload.
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const addr = server.address();
      const p = typeof addr === "object" && addr ? addr.port : port;
      resolve({ url: `http://127.0.0.1:${p}/`, server });
    });
  });
}
