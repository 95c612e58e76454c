/**
 * The guard against ioredis's unhandled "Connection is closed." rejections
 * (see `tolerateClosedConnections`), in child processes: an unhandled
 * rejection ends a Node process, which is exactly what is being tested.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TSX_IMPORT } from "../../fixtures/cliFromSources.ts";

const QUEUE = pathToFileURL(join(import.meta.dirname, "..", "..", "..", "pipelines", "queue")).href;

/** Runs a script that makes a link (given up on or not), guards it, and leaves one rejection unhandled. */
async function strayRejection(linkDown: boolean, message: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `
    import { RedisLink } from "${QUEUE}/RedisLink.ts";
    import { parseRedisUrl } from "${QUEUE}/redisUrl.ts";
    import { tolerateClosedConnections } from "${QUEUE}/closedConnectionRejections.ts";
    const link = new RedisLink(parseRedisUrl("redis://127.0.0.1:1", "test"), 0, 0);
    if (${linkDown}) link.options().retryStrategy(1);
    tolerateClosedConnections(link);
    Promise.reject(new Error(${JSON.stringify(message)}));
    setTimeout(() => console.log("still running"), 50);
  `;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...TSX_IMPORT, "--input-type=module", "-e", script]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("tolerateClosedConnections", () => {
  it("lets the process go on past a closed connection's rejection once the link has given up", async () => {
    const r = await strayRejection(true, "Connection is closed.");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("still running\n");
    expect(r.code).toBe(0);
  });

  it("keeps Node's default for the same rejection while the link is up, and for any other rejection", async () => {
    const up = await strayRejection(false, "Connection is closed.");
    expect(up.code).toBe(1);
    expect(up.stderr).toContain("Error: Connection is closed.");
    const other = await strayRejection(true, "something else");
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("Error: something else");
    expect(other.stdout).toBe("");
  });
});
