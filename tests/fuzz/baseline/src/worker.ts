// The file fuzz_baseline applies every fuzzed baseline to (as src/worker.ts), and
// the one its generated seed describes: several findings, two on one line.
import { Pool } from "pg";
import Redis from "ioredis";
const pool = new Pool(); const pool2 = new Pool();
const redis = new Redis();
export default {
  async fetch(req: Request) {
    return new Response(String(await pool.query("select 1")) + (await redis.get("k")) + String(pool2));
  },
};
