// BAD: a pg Pool built when the module loads. Every request of the isolate shares
// its sockets; the second request fails with "Cannot perform I/O on behalf of a
// different request" or hangs.
import { env } from "cloudflare:workers";
import { Pool } from "pg";

export const pool = new Pool({ connectionString: env.HYPERDRIVE.connectionString, max: 5 });

export async function legacyReport(): Promise<unknown[]> {
  const { rows } = await pool.query("SELECT day, count(*) AS orders FROM orders GROUP BY day ORDER BY day DESC LIMIT 7");
  return rows;
}
