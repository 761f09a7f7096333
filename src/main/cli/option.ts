import { InvalidArgumentError, type Command } from 'commander';

/** Turns an option parser's error into commander's usage error (printed with the usage, exit 2). */
export function option<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

/**
 * Parses an option whose parser lives in a module the command loads only when it runs (its definition
 * declares the option without a parser, so the text arrives as given). A refused value is reported as
 * commander reports one that `option()` refused: the reason and the usage on stderr, exit code 2.
 * @param name the option's attribute name (`symbols` for `--symbols <list>`)
 * @returns the parsed value, or undefined when the option was not given
 * @throws CommanderError (from `command.error`) when `parse` throws
 */
export function parseLoaded<T>(command: Command, name: string, parse: (text: string) => T): T | undefined {
  // Declared with a value and no parser: commander stores the text as typed.
  const text = command.getOptionValue(name) as string | undefined;
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (error) {
    const flags = command.options.find((o) => o.attributeName() === name)?.flags ?? `--${name}`;
    const reason = error instanceof Error ? error.message : String(error);
    // commander's own wording for a value its parser refused (Command.addOption in commander 14).
    return command.error(`error: option '${flags}' argument '${text}' is invalid. ${reason}`, {
      code: 'commander.invalidArgument',
    });
  }
}
