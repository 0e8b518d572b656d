// Motion the user asked to be spared: the system's "reduce motion" (prefers-reduced-motion) or
// VS Code's own setting (workbench.reduceMotion), which VS Code hands a webview as the body
// class `vscode-reduce-motion`. The view then jumps where it would glide. CSS animations and
// transitions are turned off by the same two signals in each page's stylesheet.
export function reducedMotion(): boolean {
  return document.body.classList.contains('vscode-reduce-motion') || window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** An animated move's duration, or 0 when the user reduces motion. */
export function motionMs(ms: number): number {
  return reducedMotion() ? 0 : ms;
}
