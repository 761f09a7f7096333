/** Keeps a crashing pane from blanking the page: the pane shows what broke and can be reloaded alone. */
import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** Bumped by "Reload pane" so the pane remounts from scratch. */
  generation: number;
}

export class PaneErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, generation: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('chart pane crashed', error, info.componentStack);
  }

  override render() {
    const { error, generation } = this.state;
    if (error) {
      return (
        <section className="pane pane-crashed" role="alert">
          <div className="pane-notice pane-notice-error">
            <strong>This pane stopped working.</strong>
            <span className="pane-notice-detail">{error.message}</span>
            <button type="button" onClick={() => this.setState({ error: null, generation: generation + 1 })}>
              Reload pane
            </button>
          </div>
        </section>
      );
    }
    return <Fragment key={generation}>{this.props.children}</Fragment>;
  }
}
