import { Pool } from "pg";
import * as pg from "pg";
export const pool = new Pool();
const p2 = new pg.Pool();
let db;
export function get() { if (!db) { db = new Pool(); } const ok = new Pool(); return db; }
const sql = postgres(process.env.X);
function f() { return postgres("x"); }
globalThis.__db = new Pool();
(globalThis).x = createClient();
const id = crypto.randomUUID();
fetch("https://x");
function g() { fetch("y"); setTimeout(() => 1, 1); }
self.map = new Map(); globalThis.y = globalThis.y ?? new Pool();
