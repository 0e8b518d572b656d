// Messages between the host and the designer webview (postMessage), as discriminated
// unions: switch on `type`. The text document is the only source of truth: the host sends
// every version of it, the webview answers with edits (JSON-path operations) and never
// keeps a document of its own. Requests that want a reply (an edit's outcome, a data preview)
// go through core/channel, which matches replies to requests and times them out.
import type { NoParams, NoRequests, Side } from './channel';
import type { DataSummaryResult } from './dataSummary';
import type { EditOp, JsonPath } from './edits';
import type { Problem } from './spec';

/** Where the text stops being JSON; line and column are 0-based (show them +1). */
export interface ParseErrorInfo { message: string; offset: number; line: number; column: number }

/**
 * One version of the document: parsed, with the problems core `validate` finds in it (the
 * host validates once, for the Problems panel and the designer alike), or why it is not JSON.
 * A version is sent again when a data summary adds problems (inputs against the counted features).
 */
export type DocumentSnapshot =
  | { ok: true; version: number; doc: unknown; problems: Problem[] }
  | { ok: false; version: number; error: ParseErrorInfo };

/**
 * The answer to "Preview data": the trainer's summary of the data (or why there is none),
 * for the data settings whose `dataSettingsKey` is `key` (a preview for another key is stale).
 */
export interface DataPreview { key: string; result: DataSummaryResult }

/**
 * Which side panels of the designer are shown. Remembered per workspace (the host keeps it in
 * its workspaceState), so every designer opens, and every open one changes, as the user left them.
 * A narrow designer (webview/designer/sidePanels.ts) has flags of its own: its panels start
 * collapsed, the canvas taking the width, and opening one there does not open it in a wide one.
 */
export interface DesignerPanels { palette: boolean; inspector: boolean; narrowPalette: boolean; narrowInspector: boolean }

/** Both panels shown where there is room: a new user sees the palette and the inspector; collapsed in a narrow designer. */
export const DEFAULT_PANELS: DesignerPanels = { palette: true, inspector: true, narrowPalette: false, narrowInspector: false };

/** Panels from a stored value of any shape (an older or hand-edited state): each missing flag as DEFAULT_PANELS has it. */
export function panelsOf(stored: unknown): DesignerPanels {
  const o = typeof stored === 'object' && stored !== null ? stored as Record<string, unknown> : {};
  return { palette: o.palette !== false, inspector: o.inspector !== false, narrowPalette: o.narrowPalette === true, narrowInspector: o.narrowInspector === true };
}

export const samePanels = (a: DesignerPanels, b: DesignerPanels): boolean =>
  a.palette === b.palette && a.inspector === b.inspector && a.narrowPalette === b.narrowPalette && a.narrowInspector === b.narrowInspector;

/** Embedded in the page (the `initial-data` script) so the first paint needs no round trip. */
export interface DesignerInit {
  fileName: string;
  trusted: boolean;
  document: DocumentSnapshot;
  panels: DesignerPanels;
}

/** Host -> designer. */
export type ToDesigner =
  | { type: 'document'; document: DocumentSnapshot }
  | { type: 'trust'; trusted: boolean }
  /** A data summary nobody asked for (the automatic one), or the last one again for a reloaded webview. */
  | { type: 'dataPreview'; preview: DataPreview }
  /** The panels as the workspace remembers them: on `ready` (a rebuilt page's embedded ones may be old), and when another designer changed them. */
  | { type: 'panels'; panels: DesignerPanels }
  /** Show a setting: its inspector tab, scrolled to and focused ("Choose task weighting" opens the designer at `training.weighting`). */
  | { type: 'goTo'; path: JsonPath };

/** Designer -> host. */
export type FromDesigner =
  /** The webview is listening: send the current document and trust. */
  | { type: 'ready' }
  /** Run the train command on this document. */
  | { type: 'train' }
  /** Run "Compare sharing strategies…" on this document (a study of its variants). */
  | { type: 'compareSharing' }
  /** Run "Export experiment…" on this document. */
  | { type: 'export' }
  /** Show the text beside the designer, with the value at a JSON path (or a text offset) selected. */
  | { type: 'revealText'; at: { path: JsonPath } | { offset: number } }
  /** Open the workspace trust editor (the Train button is disabled in Restricted Mode). */
  | { type: 'manageTrust' }
  /**
   * Save the document once the edits sent before this are applied: Ctrl+S pressed in a field
   * whose typing was not written yet (VS Code's own save, run at once, saved the text without it).
   */
  | { type: 'saveAfterEdits' }
  /** The user showed or hid a side panel: remember it for the workspace and every designer in it. */
  | { type: 'panels'; panels: DesignerPanels };

/** Applied, or why not (the document changed under the edit, or it is not JSON right now). */
export type EditOutcome = { applied: true } | { applied: false; message: string };

/** Designer -> host requests, each answered once (core/channel). */
export interface DesignerRequests {
  /** Apply `ops` to the document as one undoable edit. `label` says what the user did. */
  edit: { params: { label: string; ops: EditOp[] }; reply: EditOutcome };
  /**
   * Summarize the data of the document's current text (unsaved edits included). Null when a
   * newer summary replaced this one: that one comes as its own reply or `dataPreview` note.
   */
  dataPreview: { params: NoParams; reply: DataPreview | null };
}

export interface DesignerSides {
  host: Side<ToDesigner, NoRequests>;
  webview: Side<FromDesigner, DesignerRequests>;
}

/**
 * A data summary reads the whole data set in a child process, which the host stops after its
 * own limit (120 s, host/dataSummaryProcess) with a message saying so; the channel waits longer,
 * so that message is what the user reads, and its timeout only catches a host that never answers.
 */
export const DESIGNER_TIMEOUTS_MS = { dataPreview: 5 * 60_000 } as const;
