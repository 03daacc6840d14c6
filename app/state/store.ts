/**
 * The one store. Slices are spread into it; their actions are the only
 * writers. Everything visual is derived from (sim, step) in selectors/hooks.
 */
import { create, type StateCreator } from 'zustand';
import { createScenarioSlice, type ScenarioSlice } from './scenarioSlice.ts';
import { createCursorSlice, type CursorSlice } from './cursorSlice.ts';
import { createUiSlice, type UiSlice } from './uiSlice.ts';

export type AppState = ScenarioSlice & CursorSlice & UiSlice;

export type SliceCreator<T> = StateCreator<AppState, [], [], T>;

export const useStore = create<AppState>()((...a) => ({
  ...createScenarioSlice(...a),
  ...createCursorSlice(...a),
  ...createUiSlice(...a),
}));
