/**
 * Nothing may ever show a blank page: a render error in one region replaces
 * that region with a message and a way out, and the rest keeps working.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  readonly region: string;
  readonly children: ReactNode;
  /** Changing this (e.g. the step) retries the region. */
  readonly resetKey?: unknown;
}

interface State {
  readonly error: Error | null;
  readonly resetKey: unknown;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn(`Kubewire: the ${this.props.region} failed to render`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="region-error" role="alert">
        <strong>The {this.props.region} could not be drawn.</strong>
        <p className="mono">{this.state.error.message}</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
