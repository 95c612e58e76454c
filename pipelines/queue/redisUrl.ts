import { InputError } from "../../common/index.ts";

/** A checked `redis://host:port[/db]` address. */
export interface RedisAddress {
  /** The URL as given, for ioredis. */
  url: string;
  /** The URL without its password, for messages and logs. */
  shown: string;
}

/**
 * Checks a queue URL: `redis://` or `rediss://` (TLS), a host, an optional
 * port (default 6379) and database number (default 0), an optional
 * `user:password@`.
 * @param where what to name in the error (`--queue`, `queue`).
 * @throws InputError naming `where` and the URL.
 */
export function parseRedisUrl(url: string, where: string): RedisAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(where, `"${url}" is not a URL; expected redis://host:port[/db]`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new InputError(where, `"${url}" is not a redis:// URL; expected redis://host:port[/db]`);
  if (u.hostname === "") throw new InputError(where, `"${url}" names no host; expected redis://host:port[/db]`);
  const db = u.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db))
    throw new InputError(where, `"${url}": the database "${db}" is not a number; expected redis://host:port[/db]`);
  if (u.search !== "" || u.hash !== "") throw new InputError(where, `"${url}": unexpected query or fragment; expected redis://host:port[/db]`);
  if (u.password !== "") u.password = "***";
  return { url, shown: u.toString() };
}
