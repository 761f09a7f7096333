/**
 * A ContractService for transport tests: the handlers and event sources a test names, and for every
 * other call or event one that fails loudly (so a test never passes on a handler it did not mean to use).
 */
import {
  EVENT_NAMES,
  REQUEST_NAMES,
  type ContractService,
  type EventSources,
  type RequestHandlers,
} from '../../shared/api';

export function contractService(
  handlers: Partial<RequestHandlers>,
  events: Partial<EventSources> = {},
): ContractService {
  const allHandlers = Object.fromEntries(
    REQUEST_NAMES.map((name) => [
      name,
      handlers[name] ??
        (() => {
          throw new Error(`${name} is not part of this test`);
        }),
    ]),
  ) as RequestHandlers;
  const allEvents = Object.fromEntries(
    EVENT_NAMES.map((name) => [
      name,
      events[name] ??
        (() => {
          throw new Error(`${name} is not part of this test`);
        }),
    ]),
  ) as EventSources;
  return { handlers: allHandlers, events: allEvents };
}
