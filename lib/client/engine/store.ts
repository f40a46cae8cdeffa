/** A slice's reducer: returns the same value for an action it does not handle, so its readers are not woken. */
export type SliceReducer<S, A> = (state: S, action: A) => S;

export type Slices<State, A> = { [K in keyof State]: { initial: State[K]; reduce: SliceReducer<State[K], A> } };

export type Store<State, A> = {
  getState: () => State;
  dispatch: (action: A) => void;
  /** Calls `listener` after each action that changed slice `key`, and only then. */
  subscribe: (key: keyof State, listener: () => void) => () => void;
};

/**
 * State in named slices, each with its own reducer and its own listeners. Every action goes to every
 * reducer; a slice that comes back unchanged keeps its identity and notifies nobody, so a reader of the
 * sidebar list is not woken by a message, nor a composer by anything.
 */
export function createStore<State extends object, A>(slices: Slices<State, A>): Store<State, A> {
  const keys = Object.keys(slices) as (keyof State)[];
  let state = Object.fromEntries(keys.map((key) => [key, slices[key].initial])) as State;
  const listeners = new Map<keyof State, Set<() => void>>(keys.map((key) => [key, new Set()]));

  return {
    getState: () => state,
    dispatch(action) {
      const changed = keys.filter((key) => {
        const next = slices[key].reduce(state[key], action);
        if (next === state[key]) return false;
        state = { ...state, [key]: next };
        return true;
      });
      for (const key of changed) for (const listener of [...listeners.get(key)!]) listener();
    },
    subscribe(key, listener) {
      const set = listeners.get(key)!;
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
