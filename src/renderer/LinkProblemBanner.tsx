/** Says plainly why the engine cannot be reached and what to do about it. */
import type { LinkProblem } from './engine/connect';

function Command({ children }: { children: string }) {
  return <code className="command">{children}</code>;
}

export function LinkProblemBanner({ problem }: { problem: LinkProblem }) {
  switch (problem.kind) {
    case 'no-token':
      return (
        <div
          className="link-banner link-banner-bad"
          role="alert"
          data-testid="link-problem"
          data-kind={problem.kind}
        >
          <strong>Not connected: this page's address has no engine token.</strong> Run{' '}
          <Command>trm web</Command> (or <Command>npm run web</Command>) and open the address it prints, which
          ends in <Command>#token=…</Command>.
        </div>
      );
    case 'token-rejected':
      return (
        <div
          className="link-banner link-banner-bad"
          role="alert"
          data-testid="link-problem"
          data-kind={problem.kind}
        >
          <strong>The engine at {problem.host} refused this page's token.</strong> A new token is issued each
          time the engine starts: open the address that <Command>trm web</Command> printed for the run that is
          going now.
        </div>
      );
    case 'unreachable':
      return (
        <div
          className="link-banner link-banner-warn"
          role="alert"
          data-testid="link-problem"
          data-kind={problem.kind}
        >
          <strong>Cannot reach the engine at {problem.host}; retrying.</strong> Is <Command>trm web</Command>{' '}
          still running? If it was restarted, open the new address it printed.
        </div>
      );
  }
}
