// Messages between the host and the study view (webview/study/), over core/channel. The view
// shows one study folder's study.json; while the study runs, the host sends it again after each
// 'studyProgress' from the trainer. The view keeps nothing of its own but its scroll position.
import type { NoRequests, Side } from '../channel';
import type { StudyResult } from './studyTypes';

/** Host -> study view. */
export type StudyToWebview =
  /** The study as study.json (or the trainer) last said; `problem` when it cannot be read. */
  | { type: 'study'; studyDir: string; result?: StudyResult; problem?: string;
      /** Set while this window runs the study: "variant 3 of 8, repeat 2 of 3". */
      running?: string;
      /** Whether the experiment file the study was made from is found (the "Use this variant" buttons need it). */
      canUse: boolean }
  /** How a "Use this variant" ended. */
  | { type: 'used'; variant: string; problem?: string };

/** Study view -> host. */
export type StudyFromWebview =
  /** The page is ready: send the study (again). */
  | { type: 'ready' }
  /** Write this variant's model, training and evaluation into the experiment file (one undoable edit). */
  | { type: 'useVariant'; variant: string }
  /** Open study-report.md in the Markdown preview. */
  | { type: 'openReport' }
  /** Show the study folder in the Explorer. */
  | { type: 'revealFolder' }
  /** Stop the running study (the trainer finishes the current step; finished runs are kept). */
  | { type: 'stop' };

export interface StudySides {
  host: Side<StudyToWebview, NoRequests>;
  webview: Side<StudyFromWebview, NoRequests>;
}

/** What VS Code keeps for a restored study view. */
export interface StudyViewState { studyDir?: string }
