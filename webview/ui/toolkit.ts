// The one module that imports the component toolkit (@vscode/webview-ui-toolkit, deprecated
// upstream), and only to define its web components: a bundle of its own, toolkit.js
// (esbuild.mjs), that index.tsx loads once the page is idle. The components follow VS
// Code's theme variables.
import {
  provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeDropdown,
  vsCodeOption, vsCodePanels, vsCodePanelTab, vsCodePanelView, vsCodeProgressRing, vsCodeTextField, vsCodeTextArea, vsCodeLink,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(
  vsCodeBadge(), vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(),
  vsCodePanels(), vsCodePanelTab(), vsCodePanelView(), vsCodeProgressRing(), vsCodeTextField(), vsCodeTextArea(), vsCodeLink(),
);

// The toolkit reads VS Code's theme variables, and starts watching for theme switches, only
// in a listener for the window's load event, added when it is evaluated. Loaded once the page
// is idle, it usually arrives after that event, and its controls kept their built-in dark
// palette in every theme (dark text fields in the light theme). Replay the event for it.
if (document.readyState === 'complete') window.dispatchEvent(new Event('load'));
