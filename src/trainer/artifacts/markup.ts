// The report's escaping and number formats live in core/markup.ts (the study report, built in
// core so the study view can draw the same charts, needs them); kept here so the run report's
// imports stay as they are.
export * from '../../core/markup';
