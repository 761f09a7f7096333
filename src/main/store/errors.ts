/**
 * Errors the store raises when it refuses to open a database. Each message names the file and says what
 * the user can do, because these reach the user directly (a dialog, or the CLI's stderr).
 */

export class StoreError extends Error {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Another process (a second app instance, a CLI run) holds the database's exclusive lock. */
export class StoreInUseError extends StoreError {
  constructor(path: string, cause?: unknown) {
    super(
      `The database ${path} is in use by another TRM Workstation process. ` +
        'Close it, or start with --db <another file>.',
      path,
      { cause },
    );
  }
}

/** The database records migrations this build does not know: a newer version wrote it. */
export class StoreTooNewError extends StoreError {
  constructor(
    path: string,
    readonly unknownMigrations: readonly string[],
  ) {
    super(
      `The database ${path} was written by a newer version of TRM Workstation ` +
        `(unknown migrations: ${unknownMigrations.join(', ')}). ` +
        'Update the app, or start with --db <another file>.',
      path,
    );
  }
}

/** The file is not a SQLite database, is damaged, or belongs to another application. */
export class StoreFormatError extends StoreError {
  constructor(path: string, problem: string, cause?: unknown) {
    super(`The file ${path} ${problem}. Start with --db <another file>.`, path, { cause });
  }
}
