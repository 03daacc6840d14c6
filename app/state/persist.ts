/**
 * localStorage for the user's own text: drafts per scenario and the last
 * applied custom scenario. Storage may be unavailable (private mode, iframe
 * sandbox); every access is guarded so the app still works without it.
 */
const DRAFT = 'kubewire:draft:';
const CUSTOM = 'kubewire:custom';

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Quota or sandbox: the draft still lives in the store.
  }
}

export const loadDraft = (scenarioId: string): string | null => read(DRAFT + scenarioId);
export const saveDraft = (scenarioId: string, text: string | null): void =>
  write(DRAFT + scenarioId, text);
export const loadCustom = (): string | null => read(CUSTOM);
export const saveCustom = (text: string): void => write(CUSTOM, text);
