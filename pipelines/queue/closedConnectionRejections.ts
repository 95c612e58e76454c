import type { RedisLink } from "./RedisLink.ts";

/** ioredis's error for the commands still pending when a connection is given up. */
const CONNECTION_CLOSED = "Connection is closed.";

const links = new Set<RedisLink>();

function onUnhandledRejection(reason: unknown): void {
  if (reason instanceof Error && reason.message === CONNECTION_CLOSED && [...links].some((l) => l.down)) return;
  // Anything else keeps Node's default: an uncaught exception that ends the process with its stack.
  throw reason;
}

/**
 * Tolerates the unhandled "Connection is closed." rejections of a Redis that
 * `link` has given up on, until the returned function is called.
 *
 * BullMQ's `Job.waitUntilFinished` polls the job's state inside an async
 * Promise executor: when Redis goes away during that poll, ioredis rejects the
 * pending command once the link stops retrying, and that rejection reaches no
 * handler, so Node would end the process with a stack trace before the
 * submitter can report the lost Redis in one line (seen under load in CI).
 * Once the link is down, those rejections only repeat what `RedisLink.failed`
 * already says; every other unhandled rejection still ends the process.
 */
export function tolerateClosedConnections(link: RedisLink): () => void {
  if (links.size === 0) process.on("unhandledRejection", onUnhandledRejection);
  links.add(link);
  return () => {
    links.delete(link);
    if (links.size === 0) process.off("unhandledRejection", onUnhandledRejection);
  };
}
