import type { PlaygroundState } from "./state.js";
import { queryFromState } from "./url.js";

type Listener = (state: PlaygroundState, previous: PlaygroundState) => void;

/**
 * Holds the one PlaygroundState. Every change is mirrored into the address bar (replaceState,
 * so dragging a slider does not fill the history) and announced to the listeners.
 */
export class Store {
  private listeners: Listener[] = [];

  constructor(private current: PlaygroundState) {
    this.writeUrl();
  }

  get state(): PlaygroundState {
    return this.current;
  }

  update(change: (s: PlaygroundState) => PlaygroundState): void {
    const previous = this.current;
    const next = change(previous);
    if (next === previous) return;
    this.current = next;
    this.writeUrl();
    for (const l of this.listeners) l(next, previous);
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  private writeUrl(): void {
    const query = queryFromState(this.current);
    if (query !== location.search) history.replaceState(null, "", query);
  }
}
