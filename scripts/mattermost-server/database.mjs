// Throwaway PostgreSQL databases for the real Mattermost server, through `psql`.
//
// Connection: options, else PGHOST / PGPORT / PGUSER, else 127.0.0.1:5432 as postgres (the local
// server with trust authentication). Database names are checked against a strict pattern, so
// they can be quoted into SQL safely.

import { spawn, spawnSync } from "node:child_process";

/** Prefix of every database we create; the reaper only ever touches names with it. */
export const DATABASE_PREFIX = "mmtyped_e2e_";

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** @param {{ host?: string, port?: number, user?: string }} [options] */
export function postgresSettings(options = {}) {
  return {
    host: options.host ?? process.env.PGHOST ?? "127.0.0.1",
    port: options.port ?? Number.parseInt(process.env.PGPORT ?? "5432", 10),
    user: options.user ?? process.env.PGUSER ?? "postgres",
  };
}

/** The data source Mattermost's SqlSettings expects for a database on that server. */
export function dataSource(pg, name) {
  checkName(name);
  const user = encodeURIComponent(pg.user);
  return `postgres://${user}@${pg.host}:${pg.port}/${name}?sslmode=disable&connect_timeout=10&binary_parameters=yes`;
}

/** A fresh unique name: prefix, owner pid (for the reaper), time and randomness. */
export function uniqueDatabaseName() {
  const random = Math.random().toString(36).slice(2, 8);
  return `${DATABASE_PREFIX}${process.pid}_${Date.now().toString(36)}_${random}`;
}

export async function createDatabase(pg, name) {
  checkName(name);
  await runSql(pg, `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`);
}

/** Drops the database, closing the connections still open to it. */
export async function dropDatabase(pg, name) {
  checkName(name);
  await runSql(pg, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** The same, synchronously: for the process `exit` hook, where nothing asynchronous runs. */
export function dropDatabaseSync(pg, name) {
  checkName(name);
  const result = spawnSync("psql", psqlArgs(pg, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), {
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    timeout: 15_000,
  });
  return result.status === 0;
}

/**
 * Refreshes the post statistics that `GET /api/v4/analytics/old?name=post_counts_day` (and
 * `bot_post_counts_day`) read: the materialized views the server's nightly
 * `refresh_materialized_views` job refreshes. The API cannot start that job (`createJob` refuses
 * the type), so tests that read the statistics refresh them here.
 */
export async function refreshPostStats(pg, name) {
  checkName(name);
  await runSql(pg, "REFRESH MATERIALIZED VIEW posts_by_team_day; REFRESH MATERIALIZED VIEW bot_posts_by_team_day", name);
}

/** Names of our databases (those with DATABASE_PREFIX). */
export async function listOurDatabases(pg) {
  const out = await runSql(pg, `SELECT datname FROM pg_database WHERE datname LIKE '${DATABASE_PREFIX}%'`);
  return out
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => NAME.test(line));
}

function checkName(name) {
  if (!NAME.test(name)) throw new Error(`invalid database name ${JSON.stringify(name)}`);
}

function psqlArgs(pg, sql, database = "postgres") {
  return ["-h", pg.host, "-p", String(pg.port), "-U", pg.user, "-d", database, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql];
}

function runSql(pg, sql, database = "postgres") {
  const args = psqlArgs(pg, sql, database);
  const shown = `psql ${args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = spawn("psql", args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text) => {
      stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text) => {
      stderr += text;
    });
    child.on("error", (error) => {
      reject(
        new Error(
          "code" in error && error.code === "ENOENT"
            ? `\`psql\` was not found on PATH; it is needed to create the test database (command: ${shown})`
            : `could not run ${shown}: ${error.message}`,
        ),
      );
    });
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `PostgreSQL command failed (exit ${code}): ${shown}\n${stderr.trim()}\n` +
              `(is PostgreSQL running on ${pg.host}:${pg.port} and accepting user ${pg.user}? set PGHOST/PGPORT/PGUSER otherwise)`,
          ),
        );
    });
  });
}
