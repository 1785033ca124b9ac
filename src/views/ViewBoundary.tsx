// SPDX-License-Identifier: GPL-2.0-or-later
// A render error in one view stays in that view: the view says what failed
// and offers to draw it again, and the rest of the app, the editor's text
// included, stays on screen (the text lives in the store and its autosave,
// not in the view). Without this, React unmounts the whole app on any error.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** The view's name, as the user knows it ("Steps", "Maple tree"). */
  name: string;
  children: ReactNode;
  /** Shown under the message instead of the view, e.g. a copy of the editor's text. */
  fallback?: ReactNode;
}

interface State {
  error: Error | null;
}

export class ViewBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`the ${this.props.name} view failed:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="view-failed" aria-label={this.props.name}>
        <div role="alert" className="diagnostics">
          <p>
            The {this.props.name} view failed: {error.message}
          </p>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Draw {this.props.name} again
          </button>
        </div>
        {this.props.fallback}
      </section>
    );
  }
}
