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
          <strong>Not connected: this page's address has no engine token.</strong> Start the workstation with{' '}
          <Command>npm start</Command> (or <Command>npx trm web</Command>) and open the address it prints,
          which ends in <Command>#token=…</Command>.
        </Banner>
      );
    case 'token-rejected':
      return (
        <Banner problem={problem} tone="bad">
          <strong>The engine at {problem.host} refused this page's token.</strong> Its token was renewed (
          <Command>--new-token</Command>) or it runs on another data folder: open the address that{' '}
          <Command>npm start</Command> (or <Command>npx trm web</Command>) printed when it started.
        </Banner>
      );
    case 'unreachable':
      return (
        <Banner problem={problem} tone="warn">
          <strong>Cannot reach the engine at {problem.host}; retrying.</strong> Is the workstation still
          running? Start it again with <Command>npm start</Command> (or <Command>npx trm web</Command>) on the
          same data folder and this page reconnects by itself.
        </Banner>
      );
  }
}
