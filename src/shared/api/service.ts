/**
 * The interface the engine implements and every transport serves (VS Code keeps the server interface in
 * `common`; so do we): a handler per call and a source per event, typed by the contract.
 */
import type {
  EventArgParsed,
  EventName,
  EventPayload,
  RequestName,
  RequestParamsParsed,
  RequestResult,
} from './index';

export type RequestHandlers = {
  [M in RequestName]: (params: RequestParamsParsed<M>) => RequestResult<M> | Promise<RequestResult<M>>;
};

/** Starts a stream for one listener; returns the function that stops it. */
export type EventSources = {
  [E in EventName]: (arg: EventArgParsed<E>, emit: (payload: EventPayload<E>) => void) => () => void;
};

export interface ContractService {
  handlers: RequestHandlers;
  events: EventSources;
}
