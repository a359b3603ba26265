// Grüße aus Köln: a file with non-ASCII text before its findings (UTF-16 columns) 🎉
import { Pool } from "pg";
import * as names from "./names";

const label = "naïve café 🎉 — ünïcödé"; export const pool = new Pool({ connectionString: "postgres://dé" });

export default {
  async fetch() {
    const r = await pool.query("select 'ö'");
    return new Response(label + names.greeting + String(r));
  },
};
