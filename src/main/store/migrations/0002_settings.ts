/** User settings as JSON text, validated against a schema by the reader (the shape may change between versions). */
export default {
  id: '0002_settings',
  sql: `
    CREATE TABLE settings (
      key        TEXT    PRIMARY KEY NOT NULL,
      value      TEXT    NOT NULL,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
} as const;
