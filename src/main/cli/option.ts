import { InvalidArgumentError } from 'commander';

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
