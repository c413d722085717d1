// Per-table row counts and content checksums: taken by the backup in the dump's own snapshot, and
// again by verification in the restored copy. Equal numbers mean every row came back unchanged.
import pg from 'pg';

// A row's text depends on these settings (timestamps, floats, bytea): pin them, so the dump's
// session and the restore's session render every value the same way.
const SESSION_OPTIONS = [
  'TimeZone=UTC',
  'DateStyle=ISO',
  'IntervalStyle=postgres',
  'extra_float_digits=3',
  'bytea_output=hex',
  // A checksum reads whole tables: no statement timeout from the role's or database's defaults.
  'statement_timeout=0',
]
  .map((setting) => `-c ${setting}`)
  .join(' ');

// Ordinary tables whose rows pg_dump writes: not the catalogs, not temporary tables, not tables
// owned by an extension (their data is not dumped, so a restore would count 0).
const TABLES_SQL = `
  SELECT n.nspname AS schema, c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind = 'r' AND c.relpersistence <> 't'
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
     AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
   ORDER BY 1, 2`;

/**
 * The checksum is the sum of each row's md5 (its first 60 bits, as a number): order-independent, so
 * it needs no primary key and no sort, and it reads a table once in constant memory. Any changed,
 * missing or extra row changes it (barring a 1 in 2^60 coincidence).
 */
function checksumSql(client, { schema, name }) {
  const table = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
  return `SELECT count(*)::text AS rows,
                 coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint), 0)::text AS checksum
            FROM ONLY ${table} t`;
}

/** A client for checksums: the pinned session settings, no client-side timeouts. */
export async function connectForChecksums({ host, port, user, password, database }) {
  const client = new pg.Client({
    host,
    port,
    user,
    password,
    database,
    options: SESSION_OPTIONS,
    application_name: 'prepnexus-backup',
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  return client;
}

/**
 * `[{ schema, name, rows, checksum }]` for every table, in `client`'s current transaction (the
 * backup runs it in the snapshot it exported to pg_dump). `onTable` hears of each one as it is done.
 */
export async function tableChecksums(client, onTable = () => {}) {
  const { rows: tables } = await client.query(TABLES_SQL);
  const result = [];
  for (const table of tables) {
    const { rows } = await client.query(checksumSql(client, table));
    const entry = { schema: table.schema, name: table.name, rows: Number(rows[0].rows), checksum: rows[0].checksum };
    result.push(entry);
    onTable(entry);
  }
  return result;
}

/** Every difference between what the manifest recorded and what the restored copy holds, one line each. */
export function compareTables(expected, actual) {
  const key = (t) => `${t.schema}.${t.name}`;
  const found = new Map(actual.map((t) => [key(t), t]));
  const problems = [];
  for (const want of expected) {
    const got = found.get(key(want));
    found.delete(key(want));
    if (!got) problems.push(`${key(want)}: missing from the restored copy`);
    else if (got.rows !== want.rows) problems.push(`${key(want)}: ${got.rows} rows restored, ${want.rows} dumped`);
    else if (got.checksum !== want.checksum) problems.push(`${key(want)}: content checksum differs`);
  }
  for (const extra of found.keys()) problems.push(`${extra}: in the restored copy but not in the manifest`);
  return problems;
}
