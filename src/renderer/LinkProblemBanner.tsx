/** Says plainly why the engine cannot be reached and what to do about it. */
import type { ReactNode } from 'react';
import type { LinkProblem } from './engine/connect';

function Command({ children }: { children: string }) {
  return <code className="command">{children}</code>;
}

function Banner({
  problem,
  tone,
  children,
}: {
  problem: LinkProblem;
  tone: 'bad' | 'warn';
  children: ReactNode;
}) {
  return (
    <div
      className={`link-banner link-banner-${tone}`}
      role="alert"
      data-testid="link-problem"
      data-kind={problem.kind}
    >
      {children}
    </div>
  );
}

export function LinkProblemBanner({ problem }: { problem: LinkProblem }) {
  switch (problem.kind) {
    case 'no-token':
      return (
        <Banner problem={problem} tone="bad">
          <strong>Not connected: this page's address has no engine token.</strong> Run{' '}
          <Command>trm web</Command> (or <Command>npm run web</Command>) and open the address it prints, which
          ends in <Command>#token=…</Command>.
        </Banner>
      );
    case 'token-rejected':
      return (
        <Banner problem={problem} tone="bad">
          <strong>The engine at {problem.host} refused this page's token.</strong> A new token is issued each
          time the engine starts: open the address that <Command>trm web</Command> printed for the run that is
          going now.
        </Banner>
      );
    case 'unreachable':
      return (
        <Banner problem={problem} tone="warn">
          <strong>Cannot reach the engine at {problem.host}; retrying.</strong> Is <Command>trm web</Command>{' '}
          still running? If it was restarted, open the new address it printed.
        </Banner>
      );
  }
}
